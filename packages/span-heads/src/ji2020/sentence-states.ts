import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { toFloatMask } from '@spanrel/tensor-core';

// Shared with the Ji 2020 relation head (`@spanrel/relation-heads` imports it from here).

/** Ji 2020's `B_S`: the sentence's states with `[CLS]` as position 0, and which positions are real. */
export interface SentenceStates {
  /** `[B, T + 1, D]`: `[X_0 = cls; X_1 .. X_T = hidden]`. */
  states: tf.Tensor3D;
  /** float32 0/1 `[B, T + 1]`: 1 for `[CLS]` and for the real words. */
  mask: tf.Tensor2D;
}

/**
 * `B_S = [X_0, X_1, ..., X_n]` (Ji et al. 2020, section 3.1), where `X_0` is the
 * BERT embedding of `[CLS]` (the encoder's `cls`): the keys and values of the
 * sentence-level attentions T_s and T_r. `[CLS]` is always attendable, so a
 * sentence-level query always has at least one key.
 */
export function sentenceStates(enc: EncoderOutput): SentenceStates {
  return tf.tidy(() => {
    const [batchSize, , dim] = enc.hidden.shape; // B, T, D
    const states = tf.concat([tf.reshape(enc.cls, [batchSize, 1, dim]), enc.hidden], 1) as tf.Tensor3D; // [B, T + 1, D]
    const mask = tf.concat([tf.ones([batchSize, 1]), toFloatMask(enc.mask)], 1) as tf.Tensor2D; // [B, T + 1]
    return { states, mask };
  });
}
