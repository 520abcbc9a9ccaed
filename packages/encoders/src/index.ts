export type { Encoder, EncoderOutput, WordBatch } from './encoder.js';
export * from './vocab/index.js';
export * from './bilstm/index.js';
export * from './bert/index.js';
export * from './frozen/index.js';
export * from './onnx/index.js';
export {
  loadTransformers,
  loadTransformersSync,
  setTransformersLoader,
  transformersLoadError,
  TRANSFORMERS_PACKAGE,
  TRANSFORMERS_RANGE,
  TRANSFORMERS_MISSING,
  type TransformersLoader,
  type TransformersModule,
} from './transformers-module.js';
