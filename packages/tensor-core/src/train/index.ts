export { AdamW, ADAMW_GLOBAL_STEP_KEY, type AdamWOptions, type AdamWStepOptions } from './adamw.js';
export { fusedBackend, fusedGlobalNorm } from './fused-adamw.js';
export { clipByGlobalNorm, type ClippedGradients, type ClipOptions } from './clip-grad-norm.js';
export {
  constantSchedule,
  linearWarmupDecaySchedule,
  makeLrSchedule,
  stepDecaySchedule,
  type ConstantScheduleConfig,
  type LinearWarmupDecayScheduleConfig,
  type LrSchedule,
  type LrScheduleConfig,
  type StepDecayScheduleConfig,
} from './lr-schedule.js';
export { DEFAULT_NO_DECAY, matchesAnyPattern, type NamePattern } from './name-patterns.js';
export { leanVariableGrads } from './lean-variable-grads.js';
export { trainStep, type TrainStepOptions } from './train-step.js';
