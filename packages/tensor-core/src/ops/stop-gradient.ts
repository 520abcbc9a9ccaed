import * as tf from '@tensorflow/tfjs-core';

// tfjs types custom-gradient functions as variadic over tensors and the save callback.
const identityWithoutGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([]);
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/**
 * The identity in the forward pass, a zero gradient in the backward pass
 * (PyTorch `detach`, TensorFlow `stop_gradient`). For values whose exact
 * gradient contribution is zero anyway, such as the max subtracted inside a
 * softmax, it skips computing it.
 *
 * @param x any float tensor
 * @returns a copy of `x` (same shape) that gradients do not flow through
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return identityWithoutGradient(x) as T;
}
