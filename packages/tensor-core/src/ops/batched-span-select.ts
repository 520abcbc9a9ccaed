import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from './batched-index-select.js';

/** The words of every span, padded to a common width, with the mask of real words. */
export interface SpanSelection {
  /** `[B, S, W, D]` word vectors; 0 at masked positions. */
  values: tf.Tensor4D;
  /** `[B, S, W]` float32, 1 = position `w` is inside span `s`. */
  mask: tf.Tensor3D;
}

/**
 * Gathers the words of each span `[start, end)` (AllenNLP `batched_span_select`),
 * as a `[B, S, W, D]` block padded to the width `W` and a `[B, S, W]` mask.
 *
 * - `W` = `maxWidth` when given (spans wider than that keep their first `maxWidth`
 *   words), else the widest span of the batch (at least 1). Computing it reads
 *   `spans` back from the device once; pass `maxWidth` in hot paths to avoid that.
 * - Positions past a span's end, before 0 or at/after `T` are masked and read
 *   nothing out of range (they read an appended zero row, so their value is 0).
 *   An empty or padding span (`end <= start`, e.g. `(0, 0)`) is fully masked, so
 *   {@link maskedMax} over it gives the 0 vector.
 *
 * ```ts
 * const x = tf.tensor3d([[[1], [2], [3], [4]]]);                      // [B=1, T=4, D=1]
 * const spans = tf.tensor3d([[[1, 3], [3, 4]]], undefined, 'int32'); // [B, S=2, 2]
 * const { values, mask } = batchedSpanSelect(x, spans);              // W = 2
 * // values [[[[2], [3]], [[4], [0]]]]  mask [[[1, 1], [1, 0]]]
 * ```
 *
 * @param x `[B, T, D]` word vectors
 * @param spans int32 `[B, S, 2]` (start, end exclusive)
 * @param maxWidth fixed `W`; default: the widest span in the batch
 */
export function batchedSpanSelect(x: tf.Tensor3D, spans: tf.Tensor3D, maxWidth?: number): SpanSelection {
  if (x.rank !== 3) throw new Error(`batchedSpanSelect: x must be [B, T, D], got shape [${x.shape.join(', ')}]`);
  if (spans.dtype !== 'int32') throw new Error(`batchedSpanSelect: spans must be int32, got ${spans.dtype}`);
  if (spans.rank !== 3 || spans.shape[2] !== 2 || spans.shape[0] !== x.shape[0]) {
    throw new Error(`batchedSpanSelect: spans must be [B=${x.shape[0]}, S, 2], got shape [${spans.shape.join(', ')}]`);
  }
  if (maxWidth !== undefined && (!Number.isInteger(maxWidth) || maxWidth < 1)) {
    throw new Error(`batchedSpanSelect: maxWidth must be a positive integer, got ${maxWidth}`);
  }
  const width = maxWidth ?? widestSpan(spans); // W
  const seqLen = x.shape[1]; // T
  return tf.tidy(() => {
    const starts = tf.slice(spans, [0, 0, 0], [-1, -1, 1]); // [B, S, 1]
    const ends = tf.slice(spans, [0, 0, 1], [-1, -1, 1]); // [B, S, 1]
    const offsets = tf.reshape(tf.range(0, width, 1, 'int32'), [1, 1, width]); // [1, 1, W]
    const positions = tf.add(starts, offsets); // [B, S, W] word index of each slot
    const inSpan = tf.logicalAnd(tf.less(positions, ends), tf.greaterEqual(positions, 0)); // [B, S, W]
    const inRange = tf.logicalAnd(inSpan, tf.less(positions, seqLen)); // [B, S, W] never read past T
    // Masked slots read an appended zero row (index T) instead of being zeroed
    // afterwards: one concat of [B, 1, D] instead of a [B, S, W, D] multiply.
    const padded = tf.concat([x, tf.zeros([x.shape[0], 1, x.shape[2]])], 1); // [B, T + 1, D]
    const safePositions = tf.where(inRange, positions, tf.fill(positions.shape, seqLen, 'int32')); // [B, S, W] in [0, T]
    const values = batchedIndexSelect(padded, safePositions) as tf.Tensor4D; // [B, S, W, D] masked -> 0
    const mask = tf.cast(inRange, 'float32') as tf.Tensor3D; // [B, S, W]
    return { values, mask };
  });
}

/** max(end - start) over all spans, at least 1. Reads `spans` back synchronously. */
function widestSpan(spans: tf.Tensor3D): number {
  const bounds = spans.dataSync(); // flat [B * S * 2]
  let widest = 1;
  for (let i = 0; i + 1 < bounds.length; i += 2) widest = Math.max(widest, bounds[i + 1] - bounds[i]);
  return widest;
}
