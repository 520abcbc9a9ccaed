import * as tf from '@tensorflow/tfjs-core';

/** Spans of a batch as tensors, padded to a common count. */
export interface SpanTensors {
  /** int32 `[B, S, 2]`, `[start, end)`; padding spans are `(0, 0)`. */
  spans: tf.Tensor3D;
  /** float32 `[B, S]`, 1 = real span. */
  spanMask: tf.Tensor2D;
}

/**
 * Packs per-sentence span lists (from span enumeration or sampling) into the
 * `[B, S, 2]` / `[B, S]` tensors a span head takes. S is the longest list, at
 * least 1, so a batch without spans still gives well-formed (fully masked) tensors.
 *
 * ```ts
 * const { spans, spanMask } = spansToTensor([[[0, 1], [0, 2]], [[3, 4]]]); // S = 2; spanMask [[1, 1], [1, 0]]
 * ```
 *
 * @param spansPerSentence `spansPerSentence[b]` = the `[start, end)` spans of sentence b (integers, `start < end`)
 */
export function spansToTensor(spansPerSentence: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): SpanTensors {
  const batchSize = spansPerSentence.length;
  if (batchSize === 0) throw new Error('spansToTensor: the batch is empty (no sentences)');
  const numSpans = Math.max(1, ...spansPerSentence.map((list) => list.length)); // S
  const bounds = new Int32Array(batchSize * numSpans * 2);
  const mask = new Float32Array(batchSize * numSpans);
  spansPerSentence.forEach((list, b) =>
    list.forEach((span, s) => {
      const [start, end] = span;
      if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end <= start) {
        throw new Error(`spansToTensor: span ${s} of sentence ${b} is ${JSON.stringify(span)}; expected integers with 0 <= start < end`);
      }
      bounds[(b * numSpans + s) * 2] = start;
      bounds[(b * numSpans + s) * 2 + 1] = end;
      mask[b * numSpans + s] = 1;
    }),
  );
  return {
    spans: tf.tensor3d(bounds, [batchSize, numSpans, 2], 'int32'), // [B, S, 2]
    spanMask: tf.tensor2d(mask, [batchSize, numSpans]), // [B, S]
  };
}
