import * as tf from '@tensorflow/tfjs-core';

/**
 * `values`, or a copy of them where the backend would keep the array it is
 * given (cpu): the wasm backend copies a new tensor's values into its heap at
 * once, so a view of a shared buffer that is rewritten later is safe there.
 */
export function copyUnlessWasm(values: Float32Array): Float32Array {
  return tf.getBackend() === 'wasm' ? values : values.slice();
}
