/**
 * `@spanrel/encoders` for Node (the default entry): the portable part
 * (`portable.ts`, also the browser entry's: the encoders, BERT's included, and
 * transformers.js loading) plus frozen transformer encoders, hub downloads and
 * the ONNX inference switches.
 */
export * from './portable.js';
export * from './bert/index.js';
export * from './frozen/index.js';
export * from './onnx/index.js';
