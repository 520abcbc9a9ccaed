import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from '@spanrel/tensor-core';

/**
 * The entity distance of each pair (two-phase model, section 1 and 4.2): the
 * number of words strictly between its two spans, `max(s1, s2) - min(e1, e2)`,
 * 0 for adjacent, overlapping or nested spans, clipped to `maxDistance` (the
 * paper's distance set Δ = {0, 1, ..., 10}: "if an entity distance is greater
 * than 10, we set it to 10"). Order-free, and equal to the number of words in
 * the pair's between-spans context mask.
 *
 * ```ts
 * const spans = tf.tensor3d([[[0, 1], [3, 5], [20, 22]]], undefined, 'int32'); // [B=1, K=3, 2]
 * const pairs = tf.tensor3d([[[0, 1], [1, 0], [0, 2]]], undefined, 'int32');   // [B, P=3, 2]
 * pairDistance(spans, pairs, 10).print(); // [[2, 2, 10]] (19 words apart, clipped)
 * ```
 *
 * @param spans int32 `[B, K, 2]`, `[start, end)` word bounds
 * @param pairs int32 `[B, P, 2]`, span indices in `[0, K)`
 * @param maxDistance the largest distance kept apart (10 in the paper)
 * @returns int32 `[B, P]` in `[0, maxDistance]`
 */
export function pairDistance(spans: tf.Tensor3D, pairs: tf.Tensor3D, maxDistance: number): tf.Tensor2D {
  if (spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[2] !== 2) {
    throw new Error(`pairDistance: spans must be int32 [B, K, 2], got ${spans.dtype} [${spans.shape.join(', ')}]`);
  }
  if (pairs.dtype !== 'int32' || pairs.rank !== 3 || pairs.shape[0] !== spans.shape[0] || pairs.shape[2] !== 2) {
    throw new Error(`pairDistance: pairs must be int32 [B=${spans.shape[0]}, P, 2], got ${pairs.dtype} [${pairs.shape.join(', ')}]`);
  }
  if (!Number.isInteger(maxDistance) || maxDistance < 0) throw new Error(`pairDistance: maxDistance must be an integer >= 0, got ${maxDistance}`);
  return tf.tidy(() => {
    const bounds = batchedIndexSelect(spans, pairs); // [B, P, 2 (head, tail), 2 (start, end)]
    const starts = tf.squeeze(tf.slice(bounds, [0, 0, 0, 0], [-1, -1, -1, 1]), [3]); // [B, P, 2]
    const ends = tf.squeeze(tf.slice(bounds, [0, 0, 0, 1], [-1, -1, -1, 1]), [3]); // [B, P, 2]
    const gap = tf.sub(tf.max(starts, -1), tf.min(ends, -1)); // [B, P] later start - earlier end (< 0 when they overlap)
    return tf.minimum(tf.maximum(gap, tf.scalar(0, 'int32')), tf.scalar(maxDistance, 'int32')) as tf.Tensor2D; // [B, P] int32
  });
}
