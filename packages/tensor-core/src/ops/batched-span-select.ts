import * as tf from '@tensorflow/tfjs-core';

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
 *   words), else the widest span of the batch (at least 1).
 * - The slot indices and the mask are computed in JS from one read-back of
 *   `spans` (a small int tensor; gradients flow to `x` only).
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
  const [batchSize, numSpans] = spans.shape; // B, S
  const [, seqLen, dim] = x.shape; // T, D
  // The slots' word indices are integer bookkeeping on a small tensor: computed in JS from one
  // read-back of `spans`, they replace a dozen broadcasting int kernels (slow on wasm) per call.
  const bounds = spans.dataSync(); // flat [B * S * 2]
  const width = maxWidth ?? widestSpan(bounds); // W
  const rows = new Int32Array(batchSize * numSpans * width); // row of the padded [B * (T + 1), D] matrix per slot
  const maskValues = new Float32Array(batchSize * numSpans * width);
  for (let b = 0; b < batchSize; b++) {
    const zeroRow = b * (seqLen + 1) + seqLen; // the appended zero row of sentence b
    for (let s = 0; s < numSpans; s++) {
      const span = b * numSpans + s;
      const [start, end] = [bounds[2 * span], bounds[2 * span + 1]];
      for (let w = 0; w < width; w++) {
        const position = start + w;
        const inRange = position >= 0 && position < end && position < seqLen; // never read past T
        rows[span * width + w] = inRange ? b * (seqLen + 1) + position : zeroRow;
        maskValues[span * width + w] = inRange ? 1 : 0;
      }
    }
  }
  return tf.tidy(() => {
    // Masked slots read an appended zero row (index T) instead of being zeroed
    // afterwards: one concat of [B, 1, D] instead of a [B, S, W, D] multiply.
    const padded = tf.reshape(tf.concat([x, tf.zeros([batchSize, 1, dim])], 1), [batchSize * (seqLen + 1), dim]); // [B * (T + 1), D]
    const picked = tf.gather(padded, tf.tensor1d(rows, 'int32'), 0); // [B * S * W, D]
    const values = tf.reshape(picked, [batchSize, numSpans, width, dim]) as tf.Tensor4D; // [B, S, W, D] masked -> 0
    const mask = tf.tensor3d(maskValues, [batchSize, numSpans, width]); // [B, S, W]
    return { values, mask };
  });
}

/** max(end - start) over all spans (flat `[B * S * 2]` bounds), at least 1. */
function widestSpan(bounds: ArrayLike<number>): number {
  let widest = 1;
  for (let i = 0; i + 1 < bounds.length; i += 2) widest = Math.max(widest, bounds[i + 1] - bounds[i]);
  return widest;
}
