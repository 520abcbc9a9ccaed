/**
 * `@spanrel/joint` for browsers (the `browser` condition of package.json
 * `exports`): see `portable.ts`. Load a model with `loadModelFromUrl`.
 */
export * from './portable.js';
