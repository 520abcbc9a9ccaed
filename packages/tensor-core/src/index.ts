export * from './module/index.js';
export * from './backend/index.js';
export * from './ops/index.js';
export * from './train/index.js';
export * from './io/index.js';
export * from './testing/index.js';
