/** `@spanrel/datasets` for browsers (the `browser` condition of package.json `exports`): see `portable.ts`. */
export * from './portable.js';
