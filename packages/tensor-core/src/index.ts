/**
 * `@spanrel/tensor-core` for Node (the package's default entry): the portable
 * part (`portable.ts`) plus `initBackend`, safetensors files and `fileAccess`
 * on node:fs. Bundlers building for a browser take `browser.ts` instead (the
 * `browser` condition of package.json `exports`).
 */
export * from './portable.js';
export { initBackend } from './backend/init-backend.js';
export { wasmBinaryDirectory } from './backend/wasm-files.js';
export { loadSafetensors, saveSafetensors, type LoadSafetensorsOptions } from './io/safetensors-file.js';
export { fileAccess } from './platform/node-file-access.js';
