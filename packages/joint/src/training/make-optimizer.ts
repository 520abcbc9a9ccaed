import type * as tf from '@tensorflow/tfjs-core';
import { AdamW, type LrScheduleConfig } from '@spanrel/tensor-core';
import type { LrSpec, OptimizerSpec } from '../config/joint-spec.js';

/** The tensor-core schedule config of an lr spec; a warmup/decay schedule spans `totalSteps`. */
export function lrScheduleConfig(lr: LrSpec, totalSteps: number): LrScheduleConfig {
  switch (lr.kind) {
    case 'constant':
      return { kind: 'constant', lr: lr.lr };
    case 'linear-warmup-decay':
      return { kind: 'linear-warmup-decay', peakLr: lr.peakLr, warmupProportion: lr.warmupProportion, totalSteps: Math.max(1, totalSteps) };
    case 'step-decay':
      return { kind: 'step-decay', lr: lr.lr, factor: lr.factor, every: lr.every };
  }
}

/** AdamW over `params` with the spec's settings; `totalSteps` = epochs x batches per epoch. */
export function makeOptimizer(params: Map<string, tf.Variable>, spec: OptimizerSpec, totalSteps: number): AdamW {
  return new AdamW(params, {
    lr: lrScheduleConfig(spec.lr, totalSteps),
    weightDecay: spec.weightDecay,
    beta1: spec.beta1,
    beta2: spec.beta2,
    eps: spec.eps,
    biasCorrection: spec.biasCorrection,
    fused: spec.fused ?? true,
    ...(spec.lrMultipliers ? { lrMultipliers: spec.lrMultipliers } : {}),
  });
}
