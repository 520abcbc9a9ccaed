/**
 * Everything of `@spanrel/joint` that imports no Node built-in (the browser
 * entry's): presets and specs, the model and its decoding, loading a model from
 * its files' contents or a URL, and the text splitter. Building, training,
 * checkpoints and model folders on disk are in the Node entry only.
 */
export const PACKAGE_NAME = '@spanrel/joint';

export type { ComponentSpec } from './config/component-spec.js';
export type {
  AllSpansSamplingSpec,
  JointSpec,
  LossSpec,
  LrSpec,
  NegativeSamplingSpec,
  OptimizerSpec,
  RatioSamplingSpec,
  SamplingSpec,
  SelectionMetric,
  SpertSamplingSpec,
  TrainingSpec,
  VocabularySpec,
} from './config/joint-spec.js';
export { PRESET_NAMES, SPERT_BILSTM_PEAK_LR, dixitPreset, preset, spertPreset, withEncoder, type PresetName } from './config/presets.js';
export { ji2020Preset } from './config/ji2020-preset.js';
export { twoPhasePreset } from './config/two-phase-preset.js';
export { STSN_BILSTM_LR_MULTIPLIERS, stsnPreset } from './config/stsn-preset.js';
export { BILSTM_PEAK_LR, bilstmEncoder } from './config/encoder-specs.js';
export { mergeSpec, resolveSpec, type ResolveSpecOptions } from './config/resolve-spec.js';
export { checkSpec } from './config/check-spec.js';
export { VARIANT_NAMES, resolveVariant, variantFolderName, variantSpec, type Variant, type VariantSpecOptions } from './config/variants.js';

export { JointModel, type JointModelParts, type RelationMode } from './model/joint-model.js';
export { type PredictOptions, type TaggedDocument } from './model/predict-with-tags.js';
export { decoderViews, goldTagsOf, relationSpanReps, sharesViews, type DecoderViews } from './model/decoder-views.js';
export { DEFAULT_KEPT_SPANS_PER_WORD, DEFAULT_MIN_KEPT_SPANS, MODEL_FORMAT, MODEL_FORMAT_VERSION, type DecodingSettings, type JointModelConfig } from './model/model-config.js';
export { gatherSpanLabels, packSpanLabels } from './model/span-labels.js';
export { registerPortableComponents } from './model/register-portable-components.js';

export {
  decodeBatch,
  decodeDocuments,
  decodeDocumentsWithTags,
  decodeLimits,
  emptyDecodeStats,
  keptSpanLimit,
  limitKeptSpans,
  type DecodedSentence,
  type DecodeStats,
  type SentenceInput,
} from './decoding/decode.js';
export { hasOverlappingEntities, keepNonOverlapping, type EntityOverlap } from './decoding/non-overlapping-spans.js';
export { assembleDocument, assembleScoredDocument, type DecodedRelation, type DecodedSpan, type DocumentScores } from './decoding/assemble-document.js';

export {
  buildLoadedModel,
  checkModelConfig,
  loadModelFromFiles,
  loadModelFromUrl,
  parseModelConfig,
  MODEL_CONFIG_FILE,
  MODEL_ENCODER_DIR,
  MODEL_SCHEMA_FILE,
  MODEL_WEIGHTS_FILE,
  type FetchFiles,
  type ModelFiles,
} from './io/model-files.js';

export { splitSentences, tokenizeWords } from './text/split-text.js';
