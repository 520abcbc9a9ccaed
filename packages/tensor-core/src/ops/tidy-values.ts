import * as tf from '@tensorflow/tfjs-core';

/**
 * The values of the tensor `build` makes, with every intermediate tensor
 * freed: what `tf.tidy(() => build().dataSync())` means, but fast. `tf.tidy`
 * walks whatever its function returns looking for tensors, and a typed array
 * is walked element by element (about 2 µs per element in tfjs 4.22: 20 ms for
 * the 10,000 values of one decode batch); here the tidy returns the tensor,
 * and its values are read outside.
 *
 * ```ts
 * const probs = tidyValues(() => tf.sigmoid(logits)); // Float32Array, nothing left allocated
 * ```
 */
export function tidyValues(build: () => tf.Tensor): tf.TypedArray {
  const tensor = tf.tidy(build);
  try {
    return tensor.dataSync();
  } finally {
    tensor.dispose();
  }
}
