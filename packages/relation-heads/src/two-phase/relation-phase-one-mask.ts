import * as tf from '@tensorflow/tfjs-core';

/**
 * Which pairs pass phase one (the coarse-grained relation set `T_r`, section
 * 3.2.2), as a mask: a real pair passes when `σ(z_1 - z_0) > threshold`. At the
 * default 0.5 that is the paper's "highest-scored class" (`z_1 > z_0`; a tie does
 * not pass). The folded logits of `TwoPhaseRelationHead.score` decide the same way.
 *
 * ```ts
 * const { binary, types } = head.scorePhases(enc, keptReps, pairs, false);
 * const kept = relationPhaseOneMask(binary, pairs.pairMask); // [B, P] 0/1
 * ```
 *
 * @param binaryLogits `[B, P, 2]` (not-relation, relation)
 * @param pairMask `[B, P]`, non-zero = a real pair
 * @param threshold in (0, 1). Default 0.5 (argmax)
 * @returns float32 `[B, P]`, 1 = passes phase one; 0 for padding pairs
 */
export function relationPhaseOneMask(binaryLogits: tf.Tensor3D, pairMask: tf.Tensor2D, threshold = 0.5): tf.Tensor2D {
  const op = 'relationPhaseOneMask';
  if (binaryLogits.rank !== 3 || binaryLogits.shape[2] !== 2) {
    throw new Error(`${op}: binaryLogits must be [B, P, 2] (not-relation, relation), got [${binaryLogits.shape.join(', ')}]`);
  }
  const [batchSize, numPairs] = binaryLogits.shape; // B, P
  if (pairMask.rank !== 2 || pairMask.shape[0] !== batchSize || pairMask.shape[1] !== numPairs) {
    throw new Error(`${op}: pairMask must be [B=${batchSize}, P=${numPairs}], got [${pairMask.shape.join(', ')}]`);
  }
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) throw new Error(`${op}: threshold must be a number in (0, 1), got ${JSON.stringify(threshold)}`);
  return tf.tidy(() => {
    const [negative, positive] = tf.unstack(binaryLogits, 2); // [B, P] each
    // The same float ops as the folded logits' margin, so both decide identically.
    const margin = tf.sub(tf.sub(positive, negative), Math.log(threshold / (1 - threshold))); // [B, P]
    const real = tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)); // [B, P]
    return tf.cast(tf.logicalAnd(tf.greater(margin, 0), real), 'float32') as tf.Tensor2D; // [B, P]
  });
}
