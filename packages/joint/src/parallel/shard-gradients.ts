/**
 * The loss and gradients of one shard of a batch, with the whole batch's
 * normalizers: what each thread of a data-parallel step computes (the calling
 * thread for its own shard, each gradient worker for one other).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossSpec, SamplingSpec } from '../config/joint-spec.js';
import type { JointModel } from '../model/joint-model.js';
import type { Reduction } from '../training/loss-reduction.js';
import type { TrainingBatch } from '../training/training-batch.js';
import { trainingLosses } from '../training/training-loss.js';

/** A shard's losses (numbers) and gradients (the caller disposes them; one per variable its loss reaches, else null). */
export interface ShardGradients {
  loss: number;
  entityLoss: number;
  relationLoss: number;
  /** In the order of the variables given. */
  grads: (tf.Tensor | null)[];
}

/**
 * Loss and gradients of `shard` w.r.t. `variables`, each `'mean'` term divided
 * by the whole batch's counts (`reduction`, see `shardReduction`), so that the
 * shards' gradients sum to the batch's.
 */
export function shardGradients(
  model: JointModel,
  variables: readonly tf.Variable[],
  shard: TrainingBatch,
  reduction: Reduction,
  sampling: SamplingSpec,
  loss: LossSpec | undefined,
): ShardGradients {
  const allSpans = sampling.strategy === 'all-spans' ? sampling : undefined;
  let parts = [0, 0];
  const { value, grads } = tf.variableGrads(() => {
    const losses = trainingLosses(model, shard, allSpans, reduction, loss);
    parts = [losses.entityLoss.dataSync()[0], losses.relationLoss.dataSync()[0]];
    return losses.loss;
  }, [...variables]);
  const total = value.dataSync()[0];
  value.dispose();
  return { loss: total, entityLoss: parts[0], relationLoss: parts[1], grads: variables.map((v) => grads[v.name] ?? null) };
}
