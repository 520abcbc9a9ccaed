import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from './batched-index-select.js';

/**
 * The `[B, P, T]` mask of the words strictly between the two spans of each pair:
 * SpERT's relation context. Built from the span bounds alone, without reading
 * anything back from the device.
 *
 * For spans `[s1, e1)` and `[s2, e2)` the context is `[min(e1, e2), max(s1, s2))`:
 * - order-free: `(a, b)` and `(b, a)` give the same mask;
 * - empty (all 0) for adjacent (`e1 == s2`), overlapping or nested spans, so a
 *   {@link maskedMax} over it gives SpERT's "0 if empty" context vector.
 *
 * ```ts
 * const head = tf.tensor3d([[[0, 1], [2, 3]]], undefined, 'int32'); // [B=1, P=2, 2]
 * const tail = tf.tensor3d([[[3, 5], [0, 2]]], undefined, 'int32'); // [B, P, 2]
 * betweenSpanBoundsMask(head, tail, 6).print(); // [[[0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0]]]
 * ```
 *
 * @param headSpans int32 `[B, P, 2]` (start, end exclusive) of the first argument
 * @param tailSpans int32 `[B, P, 2]` of the second argument
 * @param seqLen T
 * @returns float32 `[B, P, T]`, 1 = word between the two spans
 */
export function betweenSpanBoundsMask(headSpans: tf.Tensor3D, tailSpans: tf.Tensor3D, seqLen: number): tf.Tensor3D {
  for (const [field, spans] of [['headSpans', headSpans], ['tailSpans', tailSpans]] as const) {
    if (spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[2] !== 2) {
      throw new Error(`betweenSpanBoundsMask: ${field} must be int32 [B, P, 2], got ${spans.dtype} [${spans.shape.join(', ')}]`);
    }
  }
  return tf.tidy(() => {
    const headStart = tf.slice(headSpans, [0, 0, 0], [-1, -1, 1]); // [B, P, 1]
    const headEnd = tf.slice(headSpans, [0, 0, 1], [-1, -1, 1]); // [B, P, 1]
    const tailStart = tf.slice(tailSpans, [0, 0, 0], [-1, -1, 1]); // [B, P, 1]
    const tailEnd = tf.slice(tailSpans, [0, 0, 1], [-1, -1, 1]); // [B, P, 1]
    const from = tf.minimum(headEnd, tailEnd); // [B, P, 1] first word after the earlier span
    const to = tf.maximum(headStart, tailStart); // [B, P, 1] first word of the later span
    const positions = tf.reshape(tf.range(0, seqLen, 1, 'int32'), [1, 1, seqLen]); // [1, 1, T]
    const between = tf.logicalAnd(tf.greaterEqual(positions, from), tf.less(positions, to)); // [B, P, T]
    return tf.cast(between, 'float32') as tf.Tensor3D; // [B, P, T]
  });
}

/**
 * {@link betweenSpanBoundsMask} for pairs given as indices into a span list:
 * looks up both spans of each pair, then masks the words between them.
 *
 * @param spans int32 `[B, S, 2]` (start, end exclusive)
 * @param pairs int32 `[B, P, 2]` span indices in `[0, S)`
 * @param seqLen T
 * @returns float32 `[B, P, T]`
 */
export function betweenSpansMask(spans: tf.Tensor3D, pairs: tf.Tensor3D, seqLen: number): tf.Tensor3D {
  if (pairs.dtype !== 'int32' || pairs.rank !== 3 || pairs.shape[2] !== 2) {
    throw new Error(`betweenSpansMask: pairs must be int32 [B, P, 2], got ${pairs.dtype} [${pairs.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const headIndex = tf.squeeze(tf.slice(pairs, [0, 0, 0], [-1, -1, 1]), [2]); // [B, P]
    const tailIndex = tf.squeeze(tf.slice(pairs, [0, 0, 1], [-1, -1, 1]), [2]); // [B, P]
    const headSpans = batchedIndexSelect(spans, headIndex) as tf.Tensor3D; // [B, P, 2]
    const tailSpans = batchedIndexSelect(spans, tailIndex) as tf.Tensor3D; // [B, P, 2]
    return betweenSpanBoundsMask(headSpans, tailSpans, seqLen); // [B, P, T]
  });
}
