import * as tf from '@tensorflow/tfjs-core';

/** Activation functions a config can name. */
export const ACTIVATIONS = ['linear', 'relu', 'gelu', 'tanh', 'sigmoid'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** True if `name` is one of {@link ACTIVATIONS}. */
export function isActivationName(name: unknown): name is ActivationName {
  return typeof name === 'string' && (ACTIVATIONS as readonly string[]).includes(name);
}

/** Exact (erf) GELU as in BERT: `0.5 * x * (1 + erf(x / sqrt(2)))`. */
export function gelu(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))))); // [same as x]
}

/** Applies the named activation elementwise (`linear` returns `x` itself). */
export function activate(x: tf.Tensor, name: ActivationName): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return tf.relu(x);
    case 'gelu':
      return gelu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    default:
      throw new Error(`activate: unknown activation "${String(name)}"; known: ${ACTIVATIONS.join(', ')}`);
  }
}
