/**
 * Learning-rate schedules as plain functions `step -> lr`, each built from a
 * plain-JSON config so a training config can name its schedule.
 *
 * `step` is the number of optimizer updates already made (0 for the first
 * update), the same count Hugging Face / PyTorch `LambdaLR` schedulers see when
 * `scheduler.step()` is called after every `optimizer.step()`.
 */

/** Learning rate of the update with index `step` (0-based). */
export type LrSchedule = (step: number) => number;

/** A fixed learning rate. */
export interface ConstantScheduleConfig {
  kind: 'constant';
  lr: number;
}

/**
 * Linear warmup from 0 to `peakLr` over the first `warmupProportion * totalSteps`
 * updates, then linear decay to 0 at `totalSteps` (BERT / SpERT; Hugging Face
 * `get_linear_schedule_with_warmup`). SpERT: peak 5e-5, warmup proportion 0.1.
 */
export interface LinearWarmupDecayScheduleConfig {
  kind: 'linear-warmup-decay';
  peakLr: number;
  /** Total number of optimizer updates of the run (epochs * updates per epoch). */
  totalSteps: number;
  /** Fraction of `totalSteps` spent warming up, in [0, 1]. */
  warmupProportion: number;
}

/**
 * `lr * factor^floor(step / every)`. Dixit & Al-Onaizan 2019: "The learning rate
 * is annealed by 1% every 100 iterations", i.e. factor 0.99, every 100, on top of
 * Adam's default lr 1e-3.
 */
export interface StepDecayScheduleConfig {
  kind: 'step-decay';
  lr: number;
  /** Multiplier applied every `every` steps (default 0.99). */
  factor?: number;
  /** Number of updates between two decays (default 100). */
  every?: number;
}

export type LrScheduleConfig = ConstantScheduleConfig | LinearWarmupDecayScheduleConfig | StepDecayScheduleConfig;

function checkStep(step: number): void {
  if (!Number.isInteger(step) || step < 0) throw new Error(`lr schedule: step must be an integer >= 0, got ${step}`);
}

function checkPositive(field: string, value: unknown, allowZero = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`lr schedule: "${field}" must be a ${allowZero ? 'non-negative' : 'positive'} finite number, got ${JSON.stringify(value)}`);
  }
}

/** A schedule that always returns `lr`. */
export function constantSchedule(lr: number): LrSchedule {
  checkPositive('lr', lr, true);
  return (step) => {
    checkStep(step);
    return lr;
  };
}

/**
 * Linear warmup then linear decay to 0, exactly as Hugging Face
 * `get_linear_schedule_with_warmup(num_warmup_steps = warmupProportion * totalSteps)`
 * (the warmup length is not rounded, as in SpERT):
 * `step < W ? step / max(1, W) : max(0, (T - step) / max(1, T - W))`, times `peakLr`.
 * The first update (step 0) therefore has lr 0 whenever W > 0.
 */
export function linearWarmupDecaySchedule(peakLr: number, totalSteps: number, warmupProportion: number): LrSchedule {
  checkPositive('peakLr', peakLr, true);
  checkPositive('totalSteps', totalSteps);
  if (!(warmupProportion >= 0 && warmupProportion <= 1)) {
    throw new Error(`lr schedule: "warmupProportion" must be in [0, 1], got ${warmupProportion}`);
  }
  const warmup = warmupProportion * totalSteps;
  return (step) => {
    checkStep(step);
    if (step < warmup) return (peakLr * step) / Math.max(1, warmup);
    return peakLr * Math.max(0, (totalSteps - step) / Math.max(1, totalSteps - warmup));
  };
}

/** `lr * factor^floor(step / every)` (Dixit et al.: factor 0.99 every 100 updates). */
export function stepDecaySchedule(lr: number, factor = 0.99, every = 100): LrSchedule {
  checkPositive('lr', lr, true);
  checkPositive('factor', factor);
  if (!Number.isInteger(every) || every < 1) throw new Error(`lr schedule: "every" must be an integer >= 1, got ${every}`);
  return (step) => {
    checkStep(step);
    return lr * Math.pow(factor, Math.floor(step / every));
  };
}

/** Builds a schedule from its JSON config; throws naming the bad field. */
export function makeLrSchedule(config: LrScheduleConfig): LrSchedule {
  switch (config?.kind) {
    case 'constant':
      return constantSchedule(config.lr);
    case 'linear-warmup-decay':
      return linearWarmupDecaySchedule(config.peakLr, config.totalSteps, config.warmupProportion);
    case 'step-decay':
      return stepDecaySchedule(config.lr, config.factor ?? 0.99, config.every ?? 100);
    default:
      throw new Error(
        `lr schedule: unknown "kind" ${JSON.stringify((config as { kind?: unknown })?.kind)}; ` +
          `known: constant, linear-warmup-decay, step-decay`,
      );
  }
}
