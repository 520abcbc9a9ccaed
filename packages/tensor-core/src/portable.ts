/**
 * Everything of `@spanrel/tensor-core` that imports no Node built-in: what the
 * browser entry (`browser.ts`) exports, and what the Node entry (`index.ts`)
 * extends with file and backend IO.
 */
export * from './module/index.js';
export * from './init/index.js';
export * from './backend/portable.js';
export * from './ops/index.js';
export * from './nn/index.js';
export * from './train/index.js';
export * from './io/portable.js';
export * from './testing/index.js';
export * from './recurrent/index.js';
export * from './contracts/index.js';
export { joinPath, type FileAccess } from './platform/file-access.js';
