import * as tf from '@tensorflow/tfjs-core';
import { gelu } from '@spanrel/tensor-core';

/** `hidden_act` values of a Hugging Face config that {@link hfActivation} computes. */
export const HF_ACTIVATIONS = ['gelu', 'gelu_python', 'gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'relu', 'silu', 'swish'] as const;
export type HfActivation = (typeof HF_ACTIVATIONS)[number];

export function isHfActivation(name: unknown): name is HfActivation {
  return typeof name === 'string' && (HF_ACTIVATIONS as readonly string[]).includes(name);
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** GELU's tanh approximation (transformers `gelu_new`, Google BERT / GPT): `0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))`. */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const inner = tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), SQRT_2_OVER_PI); // [same as x]
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner))); // [same as x]
  });
}

/**
 * Applies a Hugging Face `hidden_act`: `gelu` / `gelu_python` are the exact erf
 * GELU (BERT, SciBERT); `gelu_new` / `gelu_pytorch_tanh` / `gelu_fast` the tanh
 * approximation (ALBERT); `silu` = `swish` = `x * sigmoid(x)`.
 */
export function hfActivation(x: tf.Tensor, name: HfActivation): tf.Tensor {
  switch (name) {
    case 'gelu':
    case 'gelu_python':
      return gelu(x);
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return geluTanh(x);
    case 'relu':
      return tf.relu(x);
    case 'silu':
    case 'swish':
      return tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
    default:
      throw new Error(`bert-encoder: unknown hidden_act ${JSON.stringify(name)}; known: ${HF_ACTIVATIONS.join(', ')}`);
  }
}
