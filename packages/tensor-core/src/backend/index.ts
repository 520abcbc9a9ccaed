/**
 * Backend selection and the kernel / gradient patches that make the wasm and
 * cpu backends fit for training: the portable part (`portable.ts`) plus Node's
 * `initBackend`, the wasm binaries' folder in node_modules and the threaded
 * wasm build's settings (`wasm-threads.ts`, Node only).
 */
export * from './portable.js';
export { initBackend } from './init-backend.js';
export { wasmBinaryDirectory } from './wasm-files.js';
export { WASM_THREADS_ENV_VAR, MAX_WASM_THREADS } from './wasm-threads.js';
