import * as tf from '@tensorflow/tfjs-core';
import { alignMask, MIN_FLOAT32, normalizeAxis } from './mask-utils.js';
import { reduceMax } from './reduce-max.js';

/**
 * Max over `axis` of the entries of `x` the mask keeps (AllenNLP `masked_max`),
 * e.g. SpERT's max-pooling of the word vectors inside a span.
 *
 * A fully masked row gives the **0 vector** (not -inf, not the fill value), and
 * its gradient is 0 everywhere, so empty spans / empty contexts are safe to pool.
 * Ties share the gradient (tfjs `max` semantics). `x` must be finite with
 * magnitudes below ~1e31 (masked entries are pushed to -3.4e38 by addition).
 *
 * ```ts
 * const x = tf.tensor3d([[[1, 5], [3, 2]], [[4, 4], [9, 9]]]); // [B=2, N=2, D=2]
 * const mask = tf.tensor2d([[1, 1], [0, 0]]);                   // [B, N]; row 1 fully masked
 * maskedMax(x, mask, 1).print();                                // [[3, 5], [0, 0]]
 * ```
 *
 * @param x values, e.g. `[B, ..., N, D]`
 * @param mask any dtype, non-zero = keep; either `x`'s shape without the trailing
 *   feature axis (`[B, ..., N]`) or a shape of `x`'s rank that broadcasts to it
 * @param axis the axis of `x` to reduce (negative counts from the end)
 * @param keepDims keep the reduced axis with size 1
 * @returns `x` reduced over `axis`, e.g. `[B, ..., D]`
 */
export function maskedMax(x: tf.Tensor, mask: tf.Tensor, axis: number, keepDims = false): tf.Tensor {
  const reduceAxis = normalizeAxis('maskedMax', axis, x.rank);
  return tf.tidy(() => {
    const keep = alignMask('maskedMax', x, mask, true); // [B, ..., N, 1] 0/1, broadcasts to x
    const penalty = tf.mul(tf.sub(1, keep), MIN_FLOAT32); // [B, ..., N, 1] 0 kept, MIN_FLOAT32 masked
    const maxima = reduceMax(tf.add(x, penalty), reduceAxis, keepDims); // [B, ..., D] MIN_FLOAT32 if nothing kept
    const anyKept = tf.max(keep, reduceAxis, keepDims); // [B, ..., 1] 1 if the row keeps an entry
    // Subtracting the penalty again turns MIN_FLOAT32 into an exact +0; multiplying
    // by anyKept cuts the gradient of fully masked rows.
    const restored = tf.sub(maxima, tf.mul(tf.sub(1, anyKept), MIN_FLOAT32)); // [B, ..., D]
    return tf.mul(restored, anyKept); // [B, ..., D] fully masked -> 0
  });
}
