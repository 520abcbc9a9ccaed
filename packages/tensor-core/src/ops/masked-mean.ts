import * as tf from '@tensorflow/tfjs-core';
import { alignMask, normalizeAxis } from './mask-utils.js';

/**
 * Mean over `axis` of the entries of `x` the mask keeps (AllenNLP `masked_mean`).
 *
 * A fully masked row gives **0** (the sum of nothing divided by a count clamped to 1),
 * with a finite (zero) gradient.
 *
 * ```ts
 * const x = tf.tensor3d([[[1, 2], [3, 6]], [[4, 4], [9, 9]]]); // [B=2, N=2, D=2]
 * const mask = tf.tensor2d([[1, 1], [0, 0]]);                   // [B, N]
 * maskedMean(x, mask, 1).print();                               // [[2, 4], [0, 0]]
 * ```
 *
 * @param x values, e.g. `[B, ..., N, D]`
 * @param mask any dtype, non-zero = keep; `[B, ..., N]` or broadcastable to `x`
 * @param axis the axis of `x` to reduce
 * @param keepDims keep the reduced axis with size 1
 * @returns e.g. `[B, ..., D]`
 */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  const reduceAxis = normalizeAxis('maskedMean', axis, x.rank);
  return tf.tidy(() => {
    const keep = alignMask('maskedMean', x, mask, true); // [B, ..., N, 1] 0/1
    const total = tf.sum(tf.mul(x, keep), reduceAxis, keepDims); // [B, ..., D]
    const count = tf.sum(keep, reduceAxis, keepDims); // [B, ..., 1] kept entries per row
    return tf.div(total, tf.maximum(count, 1)); // [B, ..., D] fully masked -> 0 / 1 = 0
  });
}
