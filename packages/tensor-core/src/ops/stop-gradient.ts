import * as tf from '@tensorflow/tfjs-core';

/**
 * `compute(x)` in the forward pass, a zero gradient to `x` in the backward pass,
 * for values whose exact gradient contribution is zero anyway (the max
 * subtracted inside a softmax: softmax is shift-invariant). `compute` runs
 * inside a custom-gradient op, where tfjs records nothing on the gradient
 * tape, so backprop does not run the gradients of its ops only to multiply
 * them by zero (for `tf.max` over attention scores: an `Equal` over the whole
 * `[B, H, T, T]` scores, a `Cast` and a `Multiply` per call).
 *
 * ```ts
 * const rowMax = withoutGradient(scores, (s) => tf.max(s, -1, true)); // [B, T, 1], no gradient to scores
 * ```
 *
 * @param x the float tensor `compute` reads
 * @param compute a function of `x` alone (other tensors it closes over get no gradient either)
 * @returns `compute(x)`
 */
export function withoutGradient<T extends tf.Tensor>(x: tf.Tensor, compute: (x: tf.Tensor) => T): T {
  const shape = x.shape; // the gradient needs only the shape: `x` itself may be disposed by then
  // tfjs types custom-gradient functions as variadic over tensors and the save callback.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    save([]);
    return { value: compute(input), gradFunc: () => tf.zeros(shape) };
  });
  return op(x) as T;
}

/**
 * The identity in the forward pass, a zero gradient in the backward pass
 * (PyTorch `detach`, TensorFlow `stop_gradient`).
 *
 * @param x any float tensor
 * @returns a copy of `x` (same shape) that gradients do not flow through
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return withoutGradient(x, tf.clone) as T;
}
