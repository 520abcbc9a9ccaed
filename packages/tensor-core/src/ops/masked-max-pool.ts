import * as tf from '@tensorflow/tfjs-core';
import { useFusedKernel } from '../backend/fused-kernels.js';
import { MASKED_MAX_POOL, RANGE_MAX_POOL } from '../backend/kernels/masked-max-pool-kernels.js';
import { batchedSpanSelect } from './batched-span-select.js';
import { maskedMax } from './masked-max.js';

/**
 * Max-pooling of word states over word sets given per row by a mask, e.g.
 * SpERT's relation context (the words between the two spans of each pair):
 * `out[b, n] = max over {t : mask[b, n, t] != 0} of x[b, t]`, 0 when the row
 * keeps no word (no gradient then), ties each receiving the full gradient:
 * exactly `maskedMax(broadcast x to [B, N, T, D], mask, 2)`.
 *
 * With the fused kernels (wasm and cpu, {@link setFusedKernels}) it reads the
 * kept words straight from `x` and never builds the `[B, N, T, D]` block that
 * the op-by-op path (used elsewhere, or with the switch off) broadcasts.
 *
 * ```ts
 * const x = tf.tensor3d([[[1, 5], [3, 2], [0, 9]]]);          // [B=1, T=3, D=2]
 * const mask = tf.tensor3d([[[1, 1, 0], [0, 0, 0]]]);         // [B, N=2, T]
 * maskedMaxPool(x, mask).print();                             // [[[3, 5], [0, 0]]]
 * ```
 *
 * @param x `[B, T, D]` float32 word states
 * @param mask `[B, N, T]`, any dtype, non-zero = keep
 * @returns `[B, N, D]`
 */
export function maskedMaxPool(x: tf.Tensor3D, mask: tf.Tensor3D): tf.Tensor3D {
  const [batch, seqLen, dim] = x.shape;
  if (x.rank !== 3 || mask.rank !== 3 || mask.shape[0] !== batch || mask.shape[2] !== seqLen) {
    throw new Error(`maskedMaxPool: x must be [B, T, D] and mask [B, N, T]; got x [${x.shape.join(', ')}], mask [${mask.shape.join(', ')}]`);
  }
  if (useFusedKernel(MASKED_MAX_POOL)) return tf.engine().runKernel(MASKED_MAX_POOL, { x, mask }) as tf.Tensor3D;
  return tf.tidy(() => {
    const states = tf.broadcastTo(tf.expandDims(x, 1), [batch, mask.shape[1], seqLen, dim]); // [B, N, T, D]
    return maskedMax(states, mask, 2) as tf.Tensor3D; // [B, N, D]
  });
}

/**
 * Max-pooling of word states over each span `[start, end)`, at most its first
 * `maxWidth` words (SpERT's span max-pool, Eq. 1): `[B, S, D]`, 0 for an empty
 * or padding span (`end <= start`), words outside `[0, T)` ignored. Equal to
 * `maskedMax` over {@link batchedSpanSelect}, the op-by-op path it replaces:
 * the fused kernel visits each span's words in place instead of gathering a
 * `[B, S, W, D]` block.
 *
 * @param x `[B, T, D]` float32 word states
 * @param spans int32 `[B, S, 2]` (start, end exclusive)
 * @param maxWidth words of a span that count (default: all); the op-by-op
 *   path without it reads `spans` back to find the widest span
 * @returns `[B, S, D]`
 */
export function spanMaxPool(x: tf.Tensor3D, spans: tf.Tensor3D, maxWidth?: number): tf.Tensor3D {
  if (x.rank !== 3 || spans.rank !== 3 || spans.dtype !== 'int32' || spans.shape[0] !== x.shape[0] || spans.shape[2] !== 2) {
    throw new Error(`spanMaxPool: x must be [B, T, D] and spans int32 [B, S, 2]; got x [${x.shape.join(', ')}], spans ${spans.dtype} [${spans.shape.join(', ')}]`);
  }
  if (maxWidth !== undefined && (!Number.isInteger(maxWidth) || maxWidth < 1)) {
    throw new Error(`spanMaxPool: maxWidth must be a positive integer, got ${maxWidth}`);
  }
  if (useFusedKernel(RANGE_MAX_POOL)) return tf.engine().runKernel(RANGE_MAX_POOL, { x, ranges: spans }, { maxWidth: maxWidth ?? 0 }) as tf.Tensor3D;
  return tf.tidy(() => {
    const { values, mask } = batchedSpanSelect(x, spans, maxWidth); // [B, S, W, D], [B, S, W]
    return maskedMax(values, mask, 2) as tf.Tensor3D; // [B, S, D]
  });
}
