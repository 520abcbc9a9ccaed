import * as tf from '@tensorflow/tfjs-core';
import type { LossReduction } from '@spanrel/tensor-core';
import { relationCrossEntropy } from '../relation-loss.js';

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/** Checks `labels [B, P]` int32 and `pairMask [B, P]`, and (one read-back) that real pairs' labels lie in `[0, maxLabel]`. */
function checkLabels(op: string, logits: tf.Tensor3D, labels: tf.Tensor2D, pairMask: tf.Tensor2D, maxLabel: number | null): void {
  if (logits.rank !== 3) throw new Error(`${op}: logits must be [B, P, C], got ${shapeOf(logits)}`);
  const [batchSize, numPairs] = logits.shape; // B, P
  if (labels.dtype !== 'int32' || labels.rank !== 2 || labels.shape[0] !== batchSize || labels.shape[1] !== numPairs) {
    throw new Error(`${op}: labels must be int32 [B=${batchSize}, P=${numPairs}], got ${labels.dtype} ${shapeOf(labels)}`);
  }
  if (pairMask.rank !== 2 || pairMask.shape[0] !== batchSize || pairMask.shape[1] !== numPairs) {
    throw new Error(`${op}: pairMask must be [B=${batchSize}, P=${numPairs}], got ${shapeOf(pairMask)}`);
  }
  const bad = tf.tidy(() => {
    const real = tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)); // [B, P]
    const outside = maxLabel === null ? tf.less(labels, 0) : tf.logicalOr(tf.less(labels, 0), tf.greater(labels, maxLabel)); // [B, P]
    return tf.any(tf.logicalAnd(real, outside)).dataSync()[0];
  });
  if (bad) throw new Error(`${op}: a label of a real pair lies outside [0, ${maxLabel ?? 'numTypes'}] (0 = no relation, k >= 1 = relation type k - 1)`);
}

/**
 * Phase-one relation loss (section 3.2.3, Eq. 11): binary cross-entropy of the
 * two sigmoid logits (not-relation, relation) against the one-hot gold class,
 * every relation type counting as "relation" (label >= 1); summed over the two
 * classes (the one-hot vector's BCE, as Eq. 15 sums its one-hot CE), then
 * averaged over the real pairs (`'mean'`, `1 / N_t`) or summed (`'sum'`). No
 * real pair gives 0. (The joint two-phase loss takes the sum and divides it by
 * the number of gold relations: see `twoPhaseLoss` in `@spanrel/joint`.)
 *
 * @param binaryLogits `[B, P, 2]` from `TwoPhaseRelationHead.scorePhases`
 * @param labels int32 `[B, P]` gold class (0 = no relation, k >= 1 = relation type k - 1)
 * @param pairMask `[B, P]`, non-zero = a sample (gold relations and sampled negatives)
 * @param reduction default `'mean'`
 */
export function relationPhaseOneLoss(binaryLogits: tf.Tensor3D, labels: tf.Tensor2D, pairMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  const op = 'relationPhaseOneLoss';
  if (binaryLogits.rank !== 3 || binaryLogits.shape[2] !== 2) throw new Error(`${op}: binaryLogits must be [B, P, 2], got ${shapeOf(binaryLogits)}`);
  checkLabels(op, binaryLogits, labels, pairMask, null);
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)), 'float32'); // [B, P] 0/1
    const targets = tf.oneHot(tf.cast(tf.greater(labels, 0), 'int32'), 2, 1, 0, 'float32'); // [B, P, 2] (not, is)
    const bce = tf.sub(tf.softplus(binaryLogits), tf.mul(binaryLogits, targets)); // [B, P, 2] -y log σ(x) - (1 - y) log(1 - σ(x))
    const total = tf.sum(tf.mul(tf.sum(bce, -1), keep)); // [] summed over the two classes and the real pairs
    if (reduction === 'sum') return total as tf.Scalar;
    return tf.div(total, tf.maximum(tf.sum(keep), 1)) as tf.Scalar; // [] no pair -> 0
  });
}

/**
 * Phase-two relation loss (section 3.3.3, Eq. 15): softmax cross-entropy over the
 * relation types (no none) of the real pairs that hold a gold relation
 * (label >= 1), averaged over them (`'mean'`, `1 / M_t'`) or summed. It is
 * `relationCrossEntropy` restricted to those pairs. No gold relation gives 0.
 *
 * @param typeLogits `[B, P, numTypes]` from `TwoPhaseRelationHead.scorePhases`
 * @param labels int32 `[B, P]` gold class (0 = no relation, k >= 1 = relation type k - 1 < numTypes)
 * @param pairMask `[B, P]`, non-zero = a real pair
 * @param reduction default `'mean'`
 */
export function relationPhaseTwoLoss(typeLogits: tf.Tensor3D, labels: tf.Tensor2D, pairMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  const op = 'relationPhaseTwoLoss';
  checkLabels(op, typeLogits, labels, pairMask, typeLogits.shape[2]);
  return tf.tidy(() => {
    const real = tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)); // [B, P]
    const goldRelation = tf.cast(tf.logicalAnd(real, tf.greater(labels, 0)), 'float32') as tf.Tensor2D; // [B, P]
    const typeLabels = tf.maximum(tf.sub(labels, tf.scalar(1, 'int32')), tf.scalar(0, 'int32')) as tf.Tensor2D; // [B, P] type index; none -> 0 (masked)
    return relationCrossEntropy(typeLogits, typeLabels, goldRelation, reduction); // []
  });
}
