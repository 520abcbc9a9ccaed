import * as tf from '@tensorflow/tfjs-core';

/** How a masked loss is reduced over its samples. */
export type LossReduction = 'mean' | 'sum';

/**
 * Softmax cross-entropy over the last axis for the entries a mask keeps. Labels
 * of kept entries must lie in `[0, C)` (checked with one scalar read-back);
 * labels of masked entries are ignored.
 *
 * @param op the caller's name, used in errors
 * @param logits `[B, N, C]`
 * @param labels int32 `[B, N]`
 * @param mask `[B, N]`
 */
export function maskedCrossEntropy(op: string, logits: tf.Tensor3D, labels: tf.Tensor2D, mask: tf.Tensor2D, reduction: LossReduction): tf.Scalar {
  const [batchSize, count, numClasses] = logits.shape; // B, N, C
  if (logits.rank !== 3) throw new Error(`${op}: logits must be [B, N, C], got [${logits.shape.join(', ')}]`);
  if (labels.dtype !== 'int32' || labels.rank !== 2 || labels.shape[0] !== batchSize || labels.shape[1] !== count) {
    throw new Error(`${op}: labels must be int32 [B=${batchSize}, N=${count}], got ${labels.dtype} [${labels.shape.join(', ')}]`);
  }
  if (mask.rank !== 2 || mask.shape[0] !== batchSize || mask.shape[1] !== count) {
    throw new Error(`${op}: mask must be [B=${batchSize}, N=${count}], got [${mask.shape.join(', ')}]`);
  }
  if (reduction !== 'mean' && reduction !== 'sum') throw new Error(`${op}: reduction must be 'mean' or 'sum', got ${JSON.stringify(reduction)}`);
  return tf.tidy(() => {
    const keep = tf.cast(tf.notEqual(mask, tf.scalar(0, mask.dtype)), 'float32'); // [B, N] 0/1
    const outOfRange = tf.logicalAnd(tf.cast(keep, 'bool'), tf.logicalOr(tf.less(labels, 0), tf.greaterEqual(labels, numClasses))); // [B, N]
    if (tf.any(outOfRange).dataSync()[0]) {
      throw new Error(`${op}: a label of a real entry lies outside [0, ${numClasses}) (class 0 = none)`);
    }
    const safeLabels = tf.mul(labels, tf.cast(keep, 'int32')); // [B, N] masked -> class 0
    const logProbs = tf.logSoftmax(logits, -1); // [B, N, C]
    // One-hot by comparison, not tf.oneHot: that one refuses depth 1, and a single class is
    // valid (e.g. the two-phase type classifiers of a corpus with one entity or relation type).
    const oneHot = tf.cast(tf.equal(tf.expandDims(safeLabels, -1), tf.range(0, numClasses, 1, 'int32')), 'float32'); // [B, N, C]
    const gold = tf.sum(tf.mul(logProbs, oneHot), -1); // [B, N] log p(gold)
    const total = tf.sum(tf.mul(tf.neg(gold), keep)); // [] summed over the kept entries (+0 when none)
    if (reduction === 'sum') return total as tf.Scalar;
    return tf.div(total, tf.maximum(tf.sum(keep), 1)) as tf.Scalar; // [] no entry -> 0 / 1 = 0
  });
}
