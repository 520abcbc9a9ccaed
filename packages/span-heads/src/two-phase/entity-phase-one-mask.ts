import * as tf from '@tensorflow/tfjs-core';

/**
 * Which spans pass phase one (the coarse-grained entity set `T_e`, section
 * 3.2.1), as a mask that phase two and pair building can use without leaving the
 * device: a real span passes when `σ(z_1 - z_0) > threshold`. At the default 0.5
 * that is the paper's "highest-scored class" (`z_1 > z_0`; a tie does not pass).
 *
 * ```ts
 * const { binary } = classifier.classifyPhases(reps, false);
 * const kept = entityPhaseOneMask(binary, spanMask); // [B, S] 0/1
 * ```
 *
 * @param binaryLogits `[B, S, 2]` (not-entity, entity)
 * @param spanMask `[B, S]`, non-zero = a real span
 * @param threshold in (0, 1). Default 0.5 (argmax)
 * @returns float32 `[B, S]`, 1 = passes phase one; 0 for padding spans
 */
export function entityPhaseOneMask(binaryLogits: tf.Tensor3D, spanMask: tf.Tensor2D, threshold = 0.5): tf.Tensor2D {
  return phaseOneMask('entityPhaseOneMask', 'spanMask', binaryLogits, spanMask, threshold);
}

/** The shared body of the phase-one masks (the relation head has the same one). */
export function phaseOneMask(op: string, maskField: string, binaryLogits: tf.Tensor3D, mask: tf.Tensor2D, threshold: number): tf.Tensor2D {
  if (binaryLogits.rank !== 3 || binaryLogits.shape[2] !== 2) {
    throw new Error(`${op}: binaryLogits must be [B, N, 2] (not, is), got [${binaryLogits.shape.join(', ')}]`);
  }
  const [batchSize, count] = binaryLogits.shape; // B, N
  if (mask.rank !== 2 || mask.shape[0] !== batchSize || mask.shape[1] !== count) {
    throw new Error(`${op}: ${maskField} must be [B=${batchSize}, N=${count}], got [${mask.shape.join(', ')}]`);
  }
  if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) throw new Error(`${op}: threshold must be a number in (0, 1), got ${JSON.stringify(threshold)}`);
  return tf.tidy(() => {
    const [negative, positive] = tf.unstack(binaryLogits, 2); // [B, N] each
    // The same float ops as the combined logits' margin, so both decide identically.
    const margin = tf.sub(tf.sub(positive, negative), Math.log(threshold / (1 - threshold))); // [B, N]
    const passes = tf.greater(margin, 0); // [B, N]
    const real = tf.notEqual(mask, tf.scalar(0, mask.dtype)); // [B, N]
    return tf.cast(tf.logicalAnd(passes, real), 'float32') as tf.Tensor2D; // [B, N]
  });
}
