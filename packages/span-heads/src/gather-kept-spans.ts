import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from '@spanrel/tensor-core';
import { zeroMaskedRows } from '@spanrel/tensor-core';

/** The kept spans of a batch, packed to a common count K. */
export interface GatheredSpans {
  /** `[B, K, D]` their representations; 0 for padding rows. */
  reps: tf.Tensor3D;
  /** int32 `[B, K, 2]` their bounds; `(0, 0)` for padding rows. */
  spans: tf.Tensor3D;
  /** float32 `[B, K]`, 1 = a kept span. */
  mask: tf.Tensor2D;
  /** int32 `[B, K]` their positions in the original S axis; 0 for padding rows. */
  index: tf.Tensor2D;
}

/**
 * Gathers the kept spans (e.g. `filterSpans(...).indices`, or the gold entities
 * during training) out of all candidates, so relation pairs are built over K
 * spans instead of S. K is the longest list, at least 1.
 *
 * ```ts
 * const kept = filterSpans(logits, spanMask);
 * const { reps, spans: keptSpans, mask } = gatherKeptSpans(head.relationFeatures(allReps), spans, kept.indices);
 * ```
 *
 * @param spanReps `[B, S, D]`
 * @param spans int32 `[B, S, 2]`
 * @param indices `indices[b]` = positions in `[0, S)` to keep for sentence b
 */
export function gatherKeptSpans(spanReps: tf.Tensor3D, spans: tf.Tensor3D, indices: ReadonlyArray<ReadonlyArray<number>>): GatheredSpans {
  const [batchSize, numSpans] = spanReps.shape; // B, S
  if (spanReps.rank !== 3) throw new Error(`gatherKeptSpans: spanReps must be [B, S, D], got [${spanReps.shape.join(', ')}]`);
  if (spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[0] !== batchSize || spans.shape[1] !== numSpans || spans.shape[2] !== 2) {
    throw new Error(`gatherKeptSpans: spans must be int32 [B=${batchSize}, S=${numSpans}, 2], got ${spans.dtype} [${spans.shape.join(', ')}]`);
  }
  if (indices.length !== batchSize) throw new Error(`gatherKeptSpans: indices has ${indices.length} sentences, spanReps has B=${batchSize}`);
  const numKept = Math.max(1, ...indices.map((list) => list.length)); // K
  const flatIndex = new Int32Array(batchSize * numKept);
  const flatMask = new Float32Array(batchSize * numKept);
  indices.forEach((list, b) =>
    list.forEach((s, k) => {
      if (!Number.isInteger(s) || s < 0 || s >= numSpans) {
        throw new Error(`gatherKeptSpans: indices[${b}][${k}] = ${s} is not a span position in [0, ${numSpans})`);
      }
      flatIndex[b * numKept + k] = s;
      flatMask[b * numKept + k] = 1;
    }),
  );
  return tf.tidy(() => {
    const index = tf.tensor2d(flatIndex, [batchSize, numKept], 'int32'); // [B, K]
    const mask = tf.tensor2d(flatMask, [batchSize, numKept]); // [B, K]
    const reps = zeroMaskedRows(batchedIndexSelect(spanReps, index) as tf.Tensor3D, mask); // [B, K, D] padding -> 0
    const keptSpans = zeroMaskedRows(batchedIndexSelect(spans, index) as tf.Tensor3D, mask); // [B, K, 2] padding -> (0, 0)
    return { reps, spans: keptSpans, mask, index };
  });
}
