import * as tf from '@tensorflow/tfjs-core';
import { maskedCrossEntropy, type LossReduction } from '@spanrel/tensor-core';

function checkPairShapes(op: string, logits: tf.Tensor3D, pairMask: tf.Tensor2D): [number, number, number] {
  if (logits.rank !== 3) throw new Error(`${op}: logits must be [B, P, R], got [${logits.shape.join(', ')}]`);
  const [batchSize, numPairs, numClasses] = logits.shape;
  if (pairMask.rank !== 2 || pairMask.shape[0] !== batchSize || pairMask.shape[1] !== numPairs) {
    throw new Error(`${op}: pairMask must be [B=${batchSize}, P=${numPairs}], got [${pairMask.shape.join(', ')}]`);
  }
  return [batchSize, numPairs, numClasses];
}

function checkReduction(op: string, reduction: unknown): void {
  if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`${op}: reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
}

/**
 * SpERT's relation loss: binary cross-entropy per relation type (sigmoid
 * logits), averaged over the R types of a pair, then over the batch's real pairs
 * (`'mean'`, as SpERT's reference loss: `bce.sum(-1) / R`, then
 * `(loss * mask).sum() / mask.sum()`), or summed over the pairs (`'sum'`).
 * A batch with no real pair gives 0 with a 0 gradient (SpERT then trains on the
 * entity loss alone).
 *
 * Computed as `softplus(x) - x * y`, which is exact and stable for any logit.
 *
 * @param logits `[B, P, R]`
 * @param targets `[B, P, R]` 0/1 multi-hot (several types per pair possible; all 0 = no relation)
 * @param pairMask `[B, P]`, non-zero = a sample
 * @param reduction default `'mean'`
 */
export function relationBinaryCrossEntropy(logits: tf.Tensor3D, targets: tf.Tensor3D, pairMask: tf.Tensor2D, reduction: LossReduction = 'mean'): tf.Scalar {
  const op = 'relationBinaryCrossEntropy';
  const [, , numTypes] = checkPairShapes(op, logits, pairMask);
  if (targets.rank !== 3 || targets.shape.some((size, i) => size !== logits.shape[i])) {
    throw new Error(`${op}: targets must have the shape of logits [${logits.shape.join(', ')}], got [${targets.shape.join(', ')}]`);
  }
  checkReduction(op, reduction);
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)), 'float32'); // [B, P] 0/1
    const y = tf.cast(targets, 'float32'); // [B, P, R]
    const bce = tf.sub(tf.softplus(logits), tf.mul(logits, y)); // [B, P, R]
    const perPair = tf.div(tf.sum(bce, -1), numTypes); // [B, P] mean over types
    const total = tf.sum(tf.mul(perPair, keep)); // [] over real pairs (+0 when none)
    if (reduction === 'sum') return total as tf.Scalar;
    return tf.div(total, tf.maximum(tf.sum(keep), 1)) as tf.Scalar; // [] no pair -> 0
  });
}

/**
 * Dixit's relation loss (section 3.4): softmax cross-entropy over `none` + the
 * relation types, summed over the real ordered pairs (`'sum'`, the paper's
 * loss) or averaged over them (`'mean'`). No real pair gives 0.
 *
 * @param logits `[B, P, R + 1]`, class 0 = none
 * @param labels int32 `[B, P]`, gold class in `[0, R]` (0 = no relation); padding entries may hold anything
 * @param pairMask `[B, P]`
 * @param reduction default `'sum'`
 */
export function relationCrossEntropy(logits: tf.Tensor3D, labels: tf.Tensor2D, pairMask: tf.Tensor2D, reduction: LossReduction = 'sum'): tf.Scalar {
  return maskedCrossEntropy('relationCrossEntropy', logits, labels, pairMask, reduction);
}
