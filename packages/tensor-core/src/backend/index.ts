/**
 * Backend selection and the kernel / gradient patches that make the wasm and
 * cpu backends fit for training: the portable part (`portable.ts`) plus Node's
 * `initBackend` and the wasm binaries' folder in node_modules.
 */
export * from './portable.js';
export { initBackend } from './init-backend.js';
export { wasmBinaryDirectory } from './wasm-files.js';
