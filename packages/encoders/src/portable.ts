/**
 * Everything of `@spanrel/encoders` that imports no Node built-in (the browser
 * entry's): the encoder contract, vocabularies, the BiLSTM + char CNN encoder
 * (fixed word vectors included) and its assets. BERT and frozen ONNX features
 * (transformers.js, files, downloads) are in the Node entry only.
 */
export type { Encoder, EncoderOutput, WordBatch } from './encoder.js';
export * from './vocab/index.js';
export * from './bilstm/index.js';
export { needsPrecompute, precomputeIfNeeded, type PrecomputingEncoder } from './frozen/precompute.js';
export { readAsset, subfolderAssets, type AssetFiles, type EncoderAssetsLocation } from './assets/encoder-assets.js';
export { encoderAssetFileNames, type EncoderSpec } from './assets/asset-file-names.js';
