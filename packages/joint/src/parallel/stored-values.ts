import * as tf from '@tensorflow/tfjs-core';

/**
 * The float32 values of `t` for one immediate read: on wasm a view of the
 * backend's heap (no copy; valid until the next tensor allocation), elsewhere
 * `dataSync()`. Saves one copy of every weight and gradient per step when they
 * are written into the shared buffers of data-parallel training.
 */
export function storedValues(t: tf.Tensor): Float32Array {
  const backend = tf.backend() as unknown as { typedArrayFromHeap?: (t: tf.TensorInfo) => Float32Array };
  if (tf.getBackend() === 'wasm' && typeof backend.typedArrayFromHeap === 'function') return backend.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}
