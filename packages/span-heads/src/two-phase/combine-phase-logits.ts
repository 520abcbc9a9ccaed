import * as tf from '@tensorflow/tfjs-core';

/**
 * Folds the two phases into one logit vector over `none` + the types, so the
 * usual decoders (argmax, class 0 = none) make the two-phase decision:
 *
 * - `none` gets 0;
 * - type k gets `(z_1 - z_0 - logit(threshold)) + (t_k - max_j t_j)`.
 *
 * The best type's entry is the phase-one margin, so the argmax is `none` exactly
 * when phase one rejects (`σ(z_1 - z_0) <= threshold`; at 0.5, `z_1 <= z_0`, the
 * paper's "highest-scored class", a tie counting as not kept), and otherwise the
 * phase-two argmax. Its softmax is proportional to
 * `[(1 - p) / (1 - threshold), p / threshold · q_k / q_max]` with
 * `p = σ(z_1 - z_0)` and `q = softmax(t)`: a ranking score, not a calibrated probability.
 *
 * Used for spans here and for pairs by `@spanrel/relation-heads`.
 *
 * @param binary `[..., 2]` phase-one logits (not-entity / not-relation, entity / relation)
 * @param types `[..., T]` phase-two logits
 * @param threshold in (0, 1); 0.5 = argmax
 * @returns `[..., T + 1]`, class 0 = none
 */
export function combinePhaseLogits(binary: tf.Tensor, types: tf.Tensor, threshold: number): tf.Tensor {
  return tf.tidy(() => {
    const rank = binary.rank;
    const negative = tf.slice(binary, [...new Array(rank - 1).fill(0), 0], [...new Array(rank - 1).fill(-1), 1]); // [..., 1] z_0
    const positive = tf.slice(binary, [...new Array(rank - 1).fill(0), 1], [...new Array(rank - 1).fill(-1), 1]); // [..., 1] z_1
    const margin = tf.sub(tf.sub(positive, negative), Math.log(threshold / (1 - threshold))); // [..., 1] > 0 iff kept
    const relative = tf.sub(types, tf.max(types, -1, true)); // [..., T] <= 0, 0 at the best type
    return tf.concat([tf.zerosLike(margin), tf.add(margin, relative)], -1); // [..., T + 1]
  });
}
