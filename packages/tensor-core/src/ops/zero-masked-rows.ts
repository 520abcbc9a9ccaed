import * as tf from '@tensorflow/tfjs-core';
import { useFusedKernel } from '../backend/fused-kernels.js';
import { ZERO_MASKED_ROWS } from '../backend/kernels/zero-masked-rows-kernel.js';

/**
 * Sets the rows of `x` that the mask drops to exactly +0 (a `where`, not a
 * product, so a negative value never becomes -0 and NaN/Infinity never leaks
 * through). The gradient flows only to kept rows.
 *
 * With the fused kernels (wasm and cpu, {@link setFusedKernels}) this is one
 * copy with the dropped rows filled; otherwise a `where` over the mask
 * broadcast to `x`'s shape. The results are the same bits.
 *
 * @param x `[B, N, D]`
 * @param mask `[B, N]`, non-zero = keep
 * @returns `[B, N, D]`
 */
export function zeroMaskedRows<T extends tf.Tensor>(x: T, mask: tf.Tensor): T {
  const rowShape = x.shape.slice(0, -1);
  const sameRows = x.rank >= 1 && mask.rank === rowShape.length && mask.shape.every((n, i) => n === rowShape[i]);
  if (sameRows && x.dtype !== 'string' && useFusedKernel(ZERO_MASKED_ROWS)) {
    return tf.engine().runKernel(ZERO_MASKED_ROWS, { x, mask }) as T;
  }
  return tf.tidy(() => {
    const keep = tf.broadcastTo(tf.expandDims(tf.notEqual(mask, tf.scalar(0, mask.dtype)), -1), x.shape); // [B, N, D] bool
    return tf.where(keep, x, tf.zerosLike(x)) as T; // [B, N, D]
  });
}
