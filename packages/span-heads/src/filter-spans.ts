import * as tf from '@tensorflow/tfjs-core';
import { tidyValues } from '@spanrel/tensor-core';

/** The spans the entity classifier keeps, per sentence. */
export interface KeptSpans {
  /** `indices[b]`: positions (into the S axis) of the kept spans of sentence b, ascending. */
  indices: number[][];
  /** `classes[b][k]`: the predicted class of span `indices[b][k]` (>= 1; entity type = class - 1). */
  classes: number[][];
  /** `scores[b][k]`: the softmax probability of that class. */
  scores: number[][];
}

/**
 * Span filtering (SpERT (b), Dixit step 2): keeps every real span whose
 * highest-scoring class is not `none` (class 0). Ties go to the lower class, so
 * a tie with `none` drops the span.
 *
 * The argmax and probabilities are computed on the device; the only JS loop runs
 * over the final `[B, S]` arrays read back in one sync.
 *
 * ```ts
 * const kept = filterSpans(logits, spanMask); // kept.indices[b] -> spans to pair up
 * ```
 *
 * @param logits `[B, S, C]` with class 0 = `none`
 * @param spanMask `[B, S]`, non-zero = a real span
 */
export function filterSpans(logits: tf.Tensor3D, spanMask: tf.Tensor2D): KeptSpans {
  if (logits.rank !== 3 || logits.shape[2] < 2) {
    throw new Error(`filterSpans: logits must be [B, S, C] with C >= 2 (none + at least one type), got [${logits.shape.join(', ')}]`);
  }
  const [batchSize, numSpans] = logits.shape; // B, S
  if (spanMask.rank !== 2 || spanMask.shape[0] !== batchSize || spanMask.shape[1] !== numSpans) {
    throw new Error(`filterSpans: spanMask must be [B=${batchSize}, S=${numSpans}], got [${spanMask.shape.join(', ')}]`);
  }
  const packed = tidyValues(() => {
    const probs = tf.softmax(logits, -1); // [B, S, C]
    const best = tf.cast(tf.argMax(logits, -1), 'float32'); // [B, S]
    const bestProb = tf.max(probs, -1); // [B, S]
    const real = tf.cast(tf.notEqual(spanMask, tf.scalar(0, spanMask.dtype)), 'float32'); // [B, S]
    return tf.stack([best, bestProb, real]); // [3, B, S]
  });
  const size = batchSize * numSpans;
  const result: KeptSpans = { indices: [], classes: [], scores: [] };
  for (let b = 0; b < batchSize; b++) {
    const indices: number[] = [];
    const classes: number[] = [];
    const scores: number[] = [];
    for (let s = 0; s < numSpans; s++) {
      const at = b * numSpans + s;
      const cls = packed[at];
      if (packed[2 * size + at] !== 0 && cls !== 0) {
        indices.push(s);
        classes.push(cls);
        scores.push(packed[size + at]);
      }
    }
    result.indices.push(indices);
    result.classes.push(classes);
    result.scores.push(scores);
  }
  return result;
}
