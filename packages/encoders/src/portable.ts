/**
 * Everything of `@spanrel/encoders` that imports no Node built-in (the browser
 * entry's): the encoder contract, vocabularies, the BiLSTM + char CNN encoder
 * (fixed word vectors included) and its assets, and the BERT encoder (rebuilt
 * from its assets files in a browser, with the transformers.js the page hands
 * over: `provideTransformers`). Frozen ONNX encoders, hub downloads and the
 * rest of the BERT toolkit are in the Node entry only.
 */
export type { Encoder, EncoderOutput, WordBatch } from './encoder.js';
export * from './vocab/index.js';
export * from './bilstm/index.js';
export { needsPrecompute, precomputeIfNeeded, type PrecomputingEncoder } from './frozen/precompute.js';
export { readAsset, subfolderAssets, type AssetFiles, type EncoderAssetsLocation } from './assets/encoder-assets.js';
export { encoderAssetFileNames, type EncoderSpec } from './assets/asset-file-names.js';
export { loadEncoderModules } from './assets/load-encoder-modules.js';
export { BertEncoder, type BertEncoderConfig, type BertPooling, type ResolvedBertEncoderConfig } from './bert/bert-encoder.js';
export { registerBertEncoder } from './bert/register.js';
export { WordwiseTokenizer, TOKENIZER_FILES } from './bert/wordwise-tokenizer.js';
export {
  loadTransformers,
  loadTransformersSync,
  provideTransformers,
  setTransformersLoader,
  transformersLoadError,
  TRANSFORMERS_PACKAGE,
  TRANSFORMERS_RANGE,
  TRANSFORMERS_MISSING,
  type TransformersLoader,
  type TransformersModule,
} from './transformers-module.js';
