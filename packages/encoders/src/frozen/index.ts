export { FrozenTransformerEncoder, type FrozenTransformerEncoderConfig, type FrozenFeatureStats } from './frozen-transformer-encoder.js';
export { defaultFeatureCacheDir, FEATURE_CACHE_ENV_VAR, FeatureCache, featureKey } from './feature-cache.js';
export { poolSubwords, SUBWORD_POOLINGS, type SubwordPooling } from './pool-subwords.js';
export { SubwordAligner, type AlignedSentence, type AlignerTokenizer } from './subword-alignment.js';
export { inspectModelFolder, ONNX_DTYPE_SUFFIX, type ModelFolderInfo, type OnnxDtype } from './model-folder.js';
export { registerFrozenTransformerEncoder } from './register.js';
export { needsPrecompute, precomputeIfNeeded, type PrecomputingEncoder } from './precompute.js';
