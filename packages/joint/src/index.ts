/**
 * `@spanrel/joint`: the joint entity and relation model (any encoder + span
 * head + entity classifier + relation head), its presets (SpERT, Dixit, Ji 2020,
 * two-phase, STSN), the
 * training loop with checkpoints and exact resumption, decoding, and the model
 * folder (save / load).
 */
import { installOnnxFeedForwardRuntime, installOnnxMatMulRuntime } from '@spanrel/encoders';

export * from './portable.js';

// In Node the heads' MLPs (entity, relation, span attention) infer on onnxruntime-node
// where it loads; `setOnnxInference(false)` / `setFusedKernels(false)` keep them on tfjs.
installOnnxFeedForwardRuntime();
// And the wasm backend's large matMuls, in training too (`setOnnxMatMul(false)`,
// `SPANREL_ONNX_MATMUL=0` or `setFusedKernels(false)` keep them on XNNPACK).
installOnnxMatMulRuntime();
// The switch itself, for callers that hold only this package (the CLI's --no-native-gemm).
export { ONNX_MATMUL_ENV_VAR, onnxMatMulEnabled, setOnnxMatMul } from '@spanrel/encoders';

export { buildModel, resolveEntityOverlap } from './model/build-model.js';
export { registerJointComponents } from './model/register-components.js';
export { loadModel, saveModel, writeModelFiles } from './io/model-folder.js';
export { resolveModelFolder } from './io/resolve-model-folder.js';
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
export { reduceLoss, sampledBatchCounts, shardReduction, type BatchMean, type BatchSampleCounts } from './training/loss-reduction.js';
export { clipOption, localBatchStep, type BatchStep, type BatchStepContext, type StepLosses } from './training/batch-step.js';
export { negativeSamplingOf, sampleBatch } from './training/samplers.js';
export { makeOptimizer, lrScheduleConfig } from './training/make-optimizer.js';
export { devScores, evaluateOnDev, evaluateOnDevWith, formatDecodeCap, isBetter, selectionKey, type DevPredictor, type DevScores, type MicroScores } from './training/dev-evaluation.js';
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

