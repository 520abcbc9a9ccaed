import * as tf from '@tensorflow/tfjs-core';

/**
 * Sets the rows of `x` that the mask drops to exactly +0 (a `where`, not a
 * product, so a negative value never becomes -0 and NaN/Infinity never leaks
 * through). The gradient flows only to kept rows.
 *
 * @param x `[B, N, D]`
 * @param mask `[B, N]`, non-zero = keep
 * @returns `[B, N, D]`
 */
export function zeroMaskedRows<T extends tf.Tensor>(x: T, mask: tf.Tensor): T {
  return tf.tidy(() => {
    const keep = tf.broadcastTo(tf.expandDims(tf.notEqual(mask, tf.scalar(0, mask.dtype)), -1), x.shape); // [B, N, D] bool
    return tf.where(keep, x, tf.zerosLike(x)) as T; // [B, N, D]
  });
}
