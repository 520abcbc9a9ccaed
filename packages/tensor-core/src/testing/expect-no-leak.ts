import * as tf from '@tensorflow/tfjs-core';

function leakError(before: number, after: number): Error {
  return new Error(`expectNoLeak: tf.memory().numTensors grew from ${before} to ${after} (${after - before} tensor(s) leaked)`);
}

/**
 * Runs `fn`, disposes the tensors it returns that it created (a tensor, an array
 * or an object of tensors; an input passed straight through is left alone), and
 * throws if `tf.memory().numTensors` is then higher than before.
 * Works with async functions too (then returns a promise).
 *
 * ```ts
 * expectNoLeak(() => maskedMax(x, mask, 1)); // the result is disposed; intermediates must not leak
 * ```
 */
export function expectNoLeak(fn: () => Promise<unknown>): Promise<void>;
export function expectNoLeak(fn: () => unknown): void;
export function expectNoLeak(fn: () => unknown): void | Promise<void> {
  const before = tf.memory().numTensors;
  // Tensor ids only grow: anything returned with a larger id than this marker was made by fn.
  const marker = tf.scalar(0);
  const firstNewId = marker.id;
  marker.dispose();
  const finish = (result: unknown): void => {
    const returned = tf.tensor_util.getTensorsInContainer(result as tf.TensorContainer);
    for (const t of returned) if (t.id > firstNewId && !t.isDisposed) t.dispose();
    const after = tf.memory().numTensors;
    if (after > before) throw leakError(before, after);
  };
  const result = fn();
  if (result instanceof Promise) return result.then(finish);
  finish(result);
}
