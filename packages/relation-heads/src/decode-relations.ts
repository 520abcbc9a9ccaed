import * as tf from '@tensorflow/tfjs-core';
import { tidyValues } from '@spanrel/tensor-core';
import type { PairBatch } from './pair-batch.js';
import type { RelationPrediction } from './relation-head.js';

function checkLogits(op: string, logits: tf.Tensor3D, pairs: PairBatch): void {
  const [batchSize, numPairs] = pairs.pairMask.shape; // B, P
  if (logits.rank !== 3 || logits.shape[0] !== batchSize || logits.shape[1] !== numPairs) {
    throw new Error(`${op}: logits must be [B=${batchSize}, P=${numPairs}, R], got [${logits.shape.join(', ')}]`);
  }
}

/** Reads the pairs and their mask back as flat arrays (`[B * P * 2]`, `[B * P]`). */
function readPairs(pairs: PairBatch): { index: Int32Array | Float32Array | Uint8Array; real: Float32Array | Int32Array | Uint8Array } {
  return { index: pairs.pairs.dataSync(), real: pairs.pairMask.dataSync() };
}

/**
 * Multi-label decoding (SpERT Eq. 4): every relation type whose sigmoid is
 * `>= threshold` holds, so a pair may get several types, or none.
 *
 * @param logits `[B, P, R]`, one logit per relation type
 * @param threshold α; SpERT uses 0.4
 */
export function decodeMultiLabel(logits: tf.Tensor3D, pairs: PairBatch, threshold: number): RelationPrediction[][] {
  checkLogits('decodeMultiLabel', logits, pairs);
  const [batchSize, numPairs, numTypes] = logits.shape; // B, P, R
  const probs = tidyValues(() => tf.sigmoid(logits)); // [B * P * R]
  const { index, real } = readPairs(pairs);
  const out: RelationPrediction[][] = [];
  for (let b = 0; b < batchSize; b++) {
    const found: RelationPrediction[] = [];
    for (let p = 0; p < numPairs; p++) {
      const at = b * numPairs + p;
      if (real[at] === 0) continue;
      for (let r = 0; r < numTypes; r++) {
        const score = probs[at * numTypes + r];
        if (score >= threshold) found.push({ pair: p, head: index[at * 2], tail: index[at * 2 + 1], type: r, score });
      }
    }
    out.push(found);
  }
  return out;
}

/**
 * Softmax decoding (Dixit Eq. 2): each pair takes its highest-scoring class; class
 * 0 (`none`, which also wins ties) yields no relation, class `k >= 1` is type `k - 1`.
 *
 * @param logits `[B, P, R + 1]`, class 0 = none
 */
export function decodeSoftmax(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
  checkLogits('decodeSoftmax', logits, pairs);
  const [batchSize, numPairs] = logits.shape; // B, P
  const packed = tidyValues(() => {
    const best = tf.cast(tf.argMax(logits, -1), 'float32'); // [B, P]
    const bestProb = tf.max(tf.softmax(logits, -1), -1); // [B, P]
    return tf.stack([best, bestProb]); // [2, B, P]
  });
  const { index, real } = readPairs(pairs);
  const size = batchSize * numPairs;
  const out: RelationPrediction[][] = [];
  for (let b = 0; b < batchSize; b++) {
    const found: RelationPrediction[] = [];
    for (let p = 0; p < numPairs; p++) {
      const at = b * numPairs + p;
      const cls = packed[at];
      if (real[at] !== 0 && cls !== 0) found.push({ pair: p, head: index[at * 2], tail: index[at * 2 + 1], type: cls - 1, score: packed[size + at] });
    }
    out.push(found);
  }
  return out;
}
