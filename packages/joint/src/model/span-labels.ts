/**
 * Entity classes of the spans a pair batch indexes (`PairBatch.spanLabels`,
 * 0 = none), for relation heads with entity-type features (the two-phase
 * head's type x type x distance embedding). Training passes the gold classes,
 * decoding the predicted ones; heads without such features ignore them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GatheredSpans } from '@spanrel/span-heads';

/**
 * The classes of gathered spans, on the device: `labels[b][index[b][k]]`, 0 for padding rows.
 *
 * @param labels int32 `[B, S]` classes of all candidate spans
 * @param gathered the spans kept out of the S candidates (`gatherKeptSpans`)
 * @returns int32 `[B, K]`
 */
export function gatherSpanLabels(labels: tf.Tensor2D, gathered: GatheredSpans): tf.Tensor2D {
  return tf.tidy(() => {
    const picked = tf.gather(labels, gathered.index, 1, 1); // [B, K]
    return tf.mul(picked, tf.cast(gathered.mask, 'int32')) as tf.Tensor2D; // [B, K], padding -> 0
  });
}

/**
 * Per-sentence class lists (e.g. `KeptSpans.classes`) packed into `[B, K]`,
 * padded with 0 (none).
 *
 * @param classes `classes[b][k]` = class of kept span k of sentence b (at most `numKept` per sentence)
 * @param numKept K, the span axis of the pair batch
 * @returns int32 `[B, K]`
 */
export function packSpanLabels(classes: ReadonlyArray<ReadonlyArray<number>>, numKept: number): tf.Tensor2D {
  const flat = new Int32Array(classes.length * numKept);
  classes.forEach((list, b) => {
    if (list.length > numKept) throw new Error(`packSpanLabels: sentence ${b} has ${list.length} classes for K=${numKept} spans`);
    flat.set(list, b * numKept);
  });
  return tf.tensor2d(flat, [classes.length, numKept], 'int32'); // [B, K]
}
