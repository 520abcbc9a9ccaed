import * as tf from '@tensorflow/tfjs-core';
import { maskedCrossEntropy, type LossReduction } from '@spanrel/tensor-core';

/**
 * STSN's sequence-tagging loss L_L (Ji et al., section 3.3): softmax cross-entropy
 * of the tag logits against the gold tags, averaged over the batch's real tokens
 * (`M_L`, the number of token instances), or summed over them (`'sum'`, e.g. for a
 * shard of a batch that divides by the whole batch's count). A batch without a real token gives 0.
 *
 * ```ts
 * const tagLoss = tagCrossEntropy(tagger.logits(views.label), goldTagIds, enc.mask); // scalar
 * ```
 *
 * @param logits `[B, T, l]`
 * @param tagIds int32 `[B, T]` gold tag ids in `[0, l)`; padding entries may hold anything
 * @param mask `[B, T]`, non-zero = a real token
 * @param reduction default `'mean'`
 */
export function tagCrossEntropy(logits: tf.Tensor3D, tagIds: tf.Tensor2D, mask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  return maskedCrossEntropy('tagCrossEntropy', logits, tagIds, mask, reduction);
}

/** The three losses of an STSN batch. */
export interface StsnLosses {
  /** L_L, `tagCrossEntropy`. */
  tagLoss: tf.Scalar;
  /** L_E, `entityCrossEntropy(..., 'mean')` over the entity samples. */
  entityLoss: tf.Scalar;
  /** L_R, `relationBinaryCrossEntropy(..., 'mean')` (`@spanrel/relation-heads`) over the relation samples. */
  relationLoss: tf.Scalar;
}

/**
 * STSN's joint objective `L_joint = L_L + L_E + L_R` (section 3.3), unweighted.
 *
 * @returns a new scalar (the inputs are not disposed)
 */
export function stsnJointLoss({ tagLoss, entityLoss, relationLoss }: StsnLosses): tf.Scalar {
  return tf.addN([tagLoss, entityLoss, relationLoss]) as tf.Scalar;
}
