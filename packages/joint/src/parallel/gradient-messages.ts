import type { LossSpec, SamplingSpec } from '../config/joint-spec.js';
import type { Reduction } from '../training/loss-reduction.js';
import type { TrainingBatch } from '../training/training-batch.js';
import type { ParameterSlot } from './parameter-layout.js';

/** What the calling thread sends a gradient worker. */
export type GradientRequest =
  | {
      type: 'init';
      /** Model folder to build the worker's copy of the model from (its weights are replaced by `weights` before each step). */
      dir: string;
      backend: string;
      /** Trainable parameters' places in `weights` and in `gradients`. */
      slots: ParameterSlot[];
      /** The calling thread's weights, written before each step that says `weightsChanged`. */
      weights: SharedArrayBuffer;
      /** This worker's gradients, written before it answers a step. */
      gradients: SharedArrayBuffer;
      /** Run seed: the worker's dropout generators are reseeded from (seed, step, shard) every step. */
      seed: number;
      sampling: SamplingSpec;
      loss: LossSpec | undefined;
    }
  | {
      type: 'step';
      id: number;
      batch: TrainingBatch;
      reduction: Reduction;
      /** 0-based number of the step in the run, and of the shard in the step (dropout seeds). */
      globalStep: number;
      shard: number;
      fused: boolean;
      /** Read the weights buffer first (the optimizer changed them since the last step). */
      weightsChanged: boolean;
    };

/** What a gradient worker answers. */
export type GradientReply =
  | { type: 'ready' }
  | {
      type: 'gradients';
      id: number;
      loss: number;
      entityLoss: number;
      relationLoss: number;
      /** Slots whose gradient the worker wrote (a parameter the shard's loss does not reach has none). */
      present: number[];
      /** Milliseconds spent reading the weights, computing the shard's gradients, writing them. */
      timings: { readWeightsMs: number; computeMs: number; writeGradientsMs: number };
    }
  | { type: 'error'; id: number | null; message: string };
