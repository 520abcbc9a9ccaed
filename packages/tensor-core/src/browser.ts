/**
 * `@spanrel/tensor-core` for browsers (the `browser` condition of package.json
 * `exports`): the portable part (`portable.ts`), no Node built-in. Start the
 * backend with `initBrowserBackend({ wasmPaths })`; `fileAccess` throws (there
 * are no files: pass bytes, e.g. `decodeSafetensors`).
 */
export * from './portable.js';
export { fileAccess } from './platform/no-file-access.js';
