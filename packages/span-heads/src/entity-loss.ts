import type * as tf from '@tensorflow/tfjs-core';
import { maskedCrossEntropy, type LossReduction } from '@spanrel/tensor-core';

/**
 * Cross-entropy of the entity classifier over the real spans of a batch.
 *
 * - `'mean'` (SpERT, section 3.1): averaged over the spans the mask keeps (the
 *   batch's entity samples, summed over all sentences, then divided by their count),
 *   as SpERT's reference loss `(ce * mask).sum() / mask.sum()`.
 * - `'sum'` (Dixit, section 3.4): summed over the spans.
 *
 * A batch with no real span gives 0 (with a 0 gradient).
 *
 * ```ts
 * const loss = entityCrossEntropy(logits, labels, spanMask); // scalar
 * ```
 *
 * @param logits `[B, S, C]`, class 0 = `none`
 * @param labels int32 `[B, S]`, gold class of each span in `[0, C)` (0 = none); padding entries may hold anything
 * @param spanMask `[B, S]`, non-zero = a sample
 * @param reduction default `'mean'`
 */
export function entityCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D, spanMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  return maskedCrossEntropy('entityCrossEntropy', logits, labels, spanMask, reduction);
}
