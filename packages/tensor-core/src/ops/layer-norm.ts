import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsEnabled } from '../backend/fused-kernels.js';

/**
 * Layer normalisation over the last axis: `gamma * (x - mean) / sqrt(var + eps) + beta`
 * (biased variance), what `LayerNorm` applies.
 *
 * With the fused kernels on, one custom-gradient op: the forward runs the same
 * kernels in the same order (the same values bit for bit) but records nothing on
 * the tape, and the backward is the closed form
 * `dx = rstd * (g - mean(g) - xhat * mean(g * xhat))` with `g = dy * gamma`,
 * `dgamma = sum(dy * xhat)`, `dbeta = sum(dy)`: ~11 kernels where tfjs'
 * gradients of the 9 forward ops run ~25 (a spert + BERT step has 9 layer
 * norms). Same gradients to float rounding. `setFusedKernels(false)` keeps
 * the op-by-op composition and its autograd.
 *
 * @param x `[..., D]`
 * @param gamma `[D]`
 * @param beta `[D]`
 * @returns `[..., D]`
 */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
  if (!fusedKernelsEnabled()) return tf.tidy(() => normalize(x, gamma, beta, eps).y);
  // tfjs types custom-gradient functions as variadic over tensors and the save callback.
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const { y, xhat, rstd } = normalize(xs, g, b, eps);
    save([xhat, rstd, g]);
    return { value: y, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => layerNormGradients(dy, saved[0], saved[1], saved[2]) };
  });
  return op(x, gamma, beta) as tf.Tensor;
}

/** The forward pass, keeping what the closed-form gradient needs. */
function normalize(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): { y: tf.Tensor; xhat: tf.Tensor; rstd: tf.Tensor } {
  const mean = tf.mean(x, -1, true); // [..., 1]
  const centered = tf.sub(x, mean); // [..., D]
  const variance = tf.mean(tf.square(centered), -1, true); // [..., 1]
  const rstd = tf.rsqrt(tf.add(variance, eps)); // [..., 1]
  const xhat = tf.mul(centered, rstd); // [..., D]
  return { y: tf.add(tf.mul(xhat, gamma), beta), xhat, rstd };
}

/** Gradients to `x`, `gamma`, `beta` of the output given its gradient `dy` `[..., D]`. */
function layerNormGradients(dy: tf.Tensor, xhat: tf.Tensor, rstd: tf.Tensor, gamma: tf.Tensor): tf.Tensor[] {
  const D = dy.shape[dy.rank - 1];
  const dyRows = tf.reshape(dy, [-1, D]); // [N, D]
  const dbeta = tf.sum(dyRows, 0); // [D]
  const dgamma = tf.sum(tf.mul(dyRows, tf.reshape(xhat, [-1, D])), 0); // [D]
  const g = tf.mul(dy, gamma); // [..., D]
  const meanG = tf.mean(g, -1, true); // [..., 1]
  const meanGX = tf.mean(tf.mul(g, xhat), -1, true); // [..., 1]
  const dx = tf.mul(tf.sub(tf.sub(g, meanG), tf.mul(xhat, meanGX)), rstd); // [..., D]
  return [dx, dgamma, dbeta];
}
