import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from './rng.js';

/** Makes the initial value of a parameter of a given shape. */
export type Initializer = (shape: number[], rng: Rng) => tf.Tensor;

/** Normal(0, std), the BERT / SpERT initialiser (std 0.02). */
export const normalInit =
  (std = 0.02): Initializer =>
  (shape, rng) =>
    tf.randomNormal(shape, 0, std, 'float32', rng.seed());

/** fan_in / fan_out of a weight whose last axis is the output (tfjs / Keras layout `[..., in, out]`). */
export function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

/** Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)). */
export const glorotUniform = (): Initializer => (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return tf.randomUniform(shape, -limit, limit, 'float32', rng.seed());
};

/**
 * Std of a unit normal truncated at +-2 (what `tf.truncatedNormal` draws): cutting
 * the tails shrinks the std, so Keras divides the wanted std by this constant.
 */
const TRUNCATED_UNIT_NORMAL_STD = 0.87962566103423978;

/**
 * Glorot (Xavier) normal as in Keras: a normal truncated at 2 std, scaled so that
 * the std of the result is sqrt(2 / (fan_in + fan_out)) (the std of PyTorch's
 * `xavier_normal_`).
 */
export const glorotNormal = (): Initializer => (shape, rng) => {
  const { fanIn, fanOut } = fans(shape);
  const std = Math.sqrt(2 / (fanIn + fanOut));
  return tf.truncatedNormal(shape, 0, std / TRUNCATED_UNIT_NORMAL_STD, 'float32', rng.seed());
};

export const zerosInit = (): Initializer => (shape) => tf.zeros(shape);
export const onesInit = (): Initializer => (shape) => tf.ones(shape);
