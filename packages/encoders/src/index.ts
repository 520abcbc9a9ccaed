/**
 * `@spanrel/encoders` for Node (the default entry): the portable part
 * (`portable.ts`, also the browser entry's) plus BERT and frozen transformer
 * features, which read model folders and load transformers.js.
 */
export * from './portable.js';
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
