/**
 * `@spanrel/joint`: the joint entity and relation model (any encoder + span
 * head + entity classifier + relation head), its presets (SpERT, Dixit, Ji 2020,
 * two-phase, STSN), the
 * training loop with checkpoints and exact resumption, decoding, and the model
 * folder (save / load).
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
export { buildModel } from './model/build-model.js';
export { registerJointComponents } from './model/register-components.js';
export { gatherSpanLabels, packSpanLabels } from './model/span-labels.js';

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
export { assembleDocument, assembleScoredDocument, type DecodedRelation, type DecodedSpan, type DocumentScores } from './decoding/assemble-document.js';

export { loadModel, saveModel, writeModelFiles, MODEL_CONFIG_FILE, MODEL_ENCODER_DIR, MODEL_SCHEMA_FILE, MODEL_WEIGHTS_FILE } from './io/model-folder.js';
export { recoverDirectory, replaceDirectory } from './io/replace-directory.js';

export { allSpansBatch, sampleSpertBatch, type AllSpansBatch, type SampledBatch, type TrainingBatch } from './training/training-batch.js';
export { allSpansTrainingLoss, sampledTrainingLoss, trainingLosses, type TrainingLosses } from './training/training-loss.js';
export {
  DEFAULT_LOSS,
  lossStrategy,
  stsnLoss,
  twoPhaseLoss,
  weightedSumLoss,
  type EntityLossResult,
  type LossStrategy,
  type Reduction,
  type RelationTargets,
} from './training/loss-strategy.js';
export { negativeSamplingOf, sampleBatch } from './training/samplers.js';
export { makeOptimizer, lrScheduleConfig } from './training/make-optimizer.js';
export { devScores, evaluateOnDev, formatDecodeCap, isBetter, selectionKey, type DevScores, type MicroScores } from './training/dev-evaluation.js';
export {
  formatModelProfile,
  formatPhaseProfile,
  PhaseRecorder,
  profileKernels,
  profileTraining,
  type KernelTime,
  type MarkPart,
  type ModelProfile,
  type PhaseProfile,
  type ProfiledWork,
  type ProfileOptions,
} from './training/profile.js';
export {
  CHECKPOINT_DIR,
  OPTIMIZER_FILE,
  TRAINER_STATE_FILE,
  hasCheckpoint,
  readTrainerState,
  type EpochRecord,
  type TrainerState,
} from './training/checkpoint.js';
export { exportRngStates, findRngs, importRngStates } from './training/rng-state.js';
export { documentsFingerprint, mixSeed } from './training/hashing.js';
export {
  BEST_MODEL_DIR,
  RUN_SPEC_FILE,
  TRAIN_LOG_FILE,
  epochBatches,
  train,
  trainingBatch,
  type TrainEvent,
  type TrainOptions,
  type TrainResult,
} from './training/train.js';

export { splitSentences, tokenizeWords } from './text/split-text.js';
