/**
 * How the losses of a training forward are reduced over their samples, and the
 * global normalizers of data-parallel training: when a batch is cut into
 * shards (sentences) whose gradients are computed on different threads and
 * summed (`@spanrel/joint/parallel`), a shard's `'mean'` loss must divide by
 * the count of the WHOLE batch's samples, not its own, so that the shards'
 * losses, and so their gradients, add up to the batch's. Each `'mean'` term
 * says which count it divides by (`BatchSampleCounts`); the single-thread path
 * passes `'mean'` or `'sum'` and computes exactly what it did before.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossReduction } from '@spanrel/tensor-core';
import type { SampledBatch, TrainingBatch } from './training-batch.js';

/** The sample counts of a whole batch that its `'mean'` loss terms divide by. */
export interface BatchSampleCounts {
  /** Entity samples: gold + negative spans (the span cross-entropy, the two-phase entity phase one's samples). */
  entitySamples: number;
  /** Entity samples that are gold entities (label >= 1): two-phase entity phases one (per gold) and two. */
  goldEntities: number;
  /** Relation samples: gold + negative pairs (relation (binary) cross-entropy, two-phase relation phase one). */
  relationSamples: number;
  /** Relation samples that hold a gold relation: two-phase relation phase two. */
  goldRelations: number;
  /** Real tokens (words): STSN's tag loss. */
  tokens: number;
}

/**
 * `'mean'` over the samples of a whole batch of which this forward sees a shard:
 * each term is summed over the shard's samples, then divided by the batch's
 * count of that term's samples (at least 1, as `'mean'` divides).
 */
export interface BatchMean {
  kind: 'batch-mean';
  counts: BatchSampleCounts;
}

/** `'mean'` (over this forward's own samples), `'sum'`, or {@link BatchMean} (a shard of a batch). */
export type Reduction = LossReduction | BatchMean;

/**
 * A loss term under `reduction`: `loss(reduction)` for `'mean'` / `'sum'`;
 * `loss('sum') / max(counts[count], 1)` for a shard's {@link BatchMean}.
 *
 * ```ts
 * reduceLoss(reduction, 'entitySamples', (r) => entityCrossEntropy(logits, labels, spanMask, r));
 * ```
 */
export function reduceLoss(reduction: Reduction, count: keyof BatchSampleCounts, loss: (reduction: LossReduction) => tf.Scalar): tf.Scalar {
  if (typeof reduction === 'string') return loss(reduction);
  const divisor = Math.max(reduction.counts[count], 1);
  return tf.tidy(() => tf.div(loss('sum'), divisor) as tf.Scalar); // []
}

/** The counts of a sampled batch (SpERT / ratio sampling): every sample is known before the forward. */
export function sampledBatchCounts(batch: SampledBatch): BatchSampleCounts {
  const sum = (rows: readonly number[]) => rows.reduce((a, b) => a + b, 0);
  return {
    entitySamples: sum(batch.entitySpans.map((s) => s.length)),
    goldEntities: sum(batch.entityLabels.map((labels) => labels.filter((l) => l > 0).length)),
    relationSamples: sum(batch.relationPairs.map((p) => p.length)),
    goldRelations: sum(batch.relationTypes.map((types) => types.filter((t) => t.length > 0).length)),
    tokens: sum(batch.tokens.map((t) => t.length)),
  };
}

/**
 * The reduction a shard of `batch` uses so that the shards' losses add up to
 * the batch's under `reduction`: `'sum'` stays `'sum'`; `'mean'` becomes a
 * {@link BatchMean} over the batch's counts. Throws for an all-spans batch
 * under `'mean'`: its relation samples are the pairs of the spans the forward
 * selects, unknown before every shard's forward has run (use `'sum'`, Dixit's
 * loss, or train it on one thread).
 */
export function shardReduction(batch: TrainingBatch, reduction: LossReduction): Reduction {
  if (reduction === 'sum') return 'sum';
  if (batch.kind === 'sampled') return { kind: 'batch-mean', counts: sampledBatchCounts(batch) };
  throw new Error(
    'data-parallel training: an all-spans batch with lossReduction "mean" cannot be split (its relation samples are selected by the forward); use lossReduction "sum" or no gradient workers',
  );
}
