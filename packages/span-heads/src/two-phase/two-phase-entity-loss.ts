import * as tf from '@tensorflow/tfjs-core';
import type { LossReduction } from '@spanrel/tensor-core';
import { entityCrossEntropy } from '../entity-loss.js';

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

function checkLabels(op: string, labels: tf.Tensor2D, spanMask: tf.Tensor2D, batchSize: number, numSpans: number): void {
  if (labels.dtype !== 'int32' || labels.rank !== 2 || labels.shape[0] !== batchSize || labels.shape[1] !== numSpans) {
    throw new Error(`${op}: labels must be int32 [B=${batchSize}, S=${numSpans}], got ${labels.dtype} ${shapeOf(labels)}`);
  }
  if (spanMask.rank !== 2 || spanMask.shape[0] !== batchSize || spanMask.shape[1] !== numSpans) {
    throw new Error(`${op}: spanMask must be [B=${batchSize}, S=${numSpans}], got ${shapeOf(spanMask)}`);
  }
}

/**
 * Phase-one entity loss (section 3.2.3, Eq. 11): binary cross-entropy of the two
 * sigmoid logits (not-entity, entity) against the one-hot gold class, where every
 * entity type counts as "entity" (label >= 1) and `none` (0) as "not entity";
 * summed over the two classes, then averaged over the real spans (`'mean'`,
 * `1 / N_t`) or summed over them (`'sum'`). No real span gives 0. (The joint
 * two-phase loss takes the sum and divides it by the number of gold entities:
 * see `twoPhaseLoss` in `@spanrel/joint`.)
 *
 * @param binaryLogits `[B, S, 2]` from `TwoPhaseEntityClassifier.classifyPhases`
 * @param labels int32 `[B, S]` gold entity class (0 = none, k >= 1 = type k - 1); must be >= 0 on real spans
 * @param spanMask `[B, S]`, non-zero = a sample (gold entities and sampled negatives)
 * @param reduction default `'mean'`
 */
export function entityPhaseOneLoss(binaryLogits: tf.Tensor3D, labels: tf.Tensor2D, spanMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  const op = 'entityPhaseOneLoss';
  if (binaryLogits.rank !== 3 || binaryLogits.shape[2] !== 2) throw new Error(`${op}: binaryLogits must be [B, S, 2], got ${shapeOf(binaryLogits)}`);
  const [batchSize, numSpans] = binaryLogits.shape; // B, S
  checkLabels(op, labels, spanMask, batchSize, numSpans);
  if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`${op}: reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(spanMask, tf.scalar(0, spanMask.dtype)), 'float32'); // [B, S] 0/1
    const negative = tf.logicalAnd(tf.cast(keep, 'bool'), tf.less(labels, 0)); // [B, S]
    if (tf.any(negative).dataSync()[0]) throw new Error(`${op}: a label of a real span is negative (0 = none, k >= 1 = entity type k - 1)`);
    const isEntity = tf.cast(tf.greater(labels, 0), 'int32'); // [B, S] 0/1
    const targets = tf.oneHot(isEntity, 2, 1, 0, 'float32'); // [B, S, 2] (not-entity, entity)
    const bce = tf.sub(tf.softplus(binaryLogits), tf.mul(binaryLogits, targets)); // [B, S, 2] -y log σ(x) - (1 - y) log(1 - σ(x))
    const perSpan = tf.sum(bce, -1); // [B, S] summed over the two classes (the one-hot vector's BCE, as Eq. 15 sums its one-hot CE)
    const total = tf.sum(tf.mul(perSpan, keep)); // [] over real spans (+0 when none)
    if (reduction === 'sum') return total as tf.Scalar;
    return tf.div(total, tf.maximum(tf.sum(keep), 1)) as tf.Scalar; // [] no span -> 0
  });
}

/**
 * Phase-two entity loss (section 3.3.3, Eq. 15): softmax cross-entropy over the
 * entity types (no none) of the real spans that are gold entities (label >= 1;
 * the types of gold entities train phase two, whatever phase one predicts),
 * averaged over them (`'mean'`, `1 / M_t'`) or summed. No gold entity gives 0.
 *
 * @param typeLogits `[B, S, numTypes]` from `TwoPhaseEntityClassifier.classifyPhases`
 * @param labels int32 `[B, S]` gold entity class (0 = none, k >= 1 = type k - 1 < numTypes)
 * @param spanMask `[B, S]`, non-zero = a real span
 * @param reduction default `'mean'`
 */
export function entityPhaseTwoLoss(typeLogits: tf.Tensor3D, labels: tf.Tensor2D, spanMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  const op = 'entityPhaseTwoLoss';
  if (typeLogits.rank !== 3) throw new Error(`${op}: typeLogits must be [B, S, numTypes], got ${shapeOf(typeLogits)}`);
  const [batchSize, numSpans] = typeLogits.shape; // B, S
  checkLabels(op, labels, spanMask, batchSize, numSpans);
  const numTypes = typeLogits.shape[2]; // T
  return tf.tidy(() => {
    const real = tf.notEqual(spanMask, tf.scalar(0, spanMask.dtype)); // [B, S]
    const outOfRange = tf.logicalAnd(real, tf.logicalOr(tf.less(labels, 0), tf.greater(labels, numTypes))); // [B, S]
    if (tf.any(outOfRange).dataSync()[0]) throw new Error(`${op}: a label of a real span lies outside [0, ${numTypes}] (0 = none, k >= 1 = entity type k - 1)`);
    const goldEntity = tf.cast(tf.logicalAnd(real, tf.greater(labels, 0)), 'float32') as tf.Tensor2D; // [B, S]
    const typeLabels = tf.maximum(tf.sub(labels, tf.scalar(1, 'int32')), tf.scalar(0, 'int32')) as tf.Tensor2D; // [B, S] type index; none -> 0 (masked)
    return entityCrossEntropy(typeLogits, typeLabels, goldEntity, reduction); // []
  });
}
