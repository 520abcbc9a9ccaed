import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * Checks the shapes of a span head's inputs and that every real span lies
 * inside its sentence, and returns W, the widest real span (at least 1).
 *
 * The range check and the width are computed on the device and read back as two
 * numbers in one sync (no JS loop over spans); only when a span is bad are the
 * spans read back, to name the first offending one.
 *
 * @param kind the head's registry name, for error messages
 * @param inputDim the D the head was configured with
 */
export function checkSpanInputs(kind: string, inputDim: number, enc: EncoderOutput, spans: tf.Tensor3D, spanMask: tf.Tensor2D): number {
  const { hidden, mask, cls } = enc;
  if (hidden.rank !== 3 || hidden.shape[2] !== inputDim) {
    throw new Error(`${kind}: enc.hidden must be [B, T, inputDim=${inputDim}], got ${shapeOf(hidden)}`);
  }
  const [batchSize, seqLen] = hidden.shape; // B, T
  if (mask.rank !== 2 || mask.shape[0] !== batchSize || mask.shape[1] !== seqLen) {
    throw new Error(`${kind}: enc.mask must be [B=${batchSize}, T=${seqLen}], got ${shapeOf(mask)}`);
  }
  if (cls.rank !== 2 || cls.shape[0] !== batchSize || cls.shape[1] !== inputDim) {
    throw new Error(`${kind}: enc.cls must be [B=${batchSize}, inputDim=${inputDim}], got ${shapeOf(cls)}`);
  }
  if (spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[0] !== batchSize || spans.shape[2] !== 2) {
    throw new Error(`${kind}: spans must be int32 [B=${batchSize}, S, 2], got ${spans.dtype} ${shapeOf(spans)}`);
  }
  const numSpans = spans.shape[1]; // S
  if (spanMask.rank !== 2 || spanMask.shape[0] !== batchSize || spanMask.shape[1] !== numSpans) {
    throw new Error(`${kind}: spanMask must be [B=${batchSize}, S=${numSpans}], got ${shapeOf(spanMask)}`);
  }
  if (numSpans === 0) return 1;

  const [widest, badCount] = tf.tidy(() => {
    const starts = tf.squeeze(tf.slice(spans, [0, 0, 0], [-1, -1, 1]), [2]); // [B, S]
    const ends = tf.squeeze(tf.slice(spans, [0, 0, 1], [-1, -1, 1]), [2]); // [B, S]
    const real = tf.notEqual(spanMask, tf.scalar(0, spanMask.dtype)); // [B, S] bool
    const lengths = tf.cast(tf.sum(tf.cast(tf.notEqual(mask, tf.scalar(0, mask.dtype)), 'int32'), 1, true), 'int32'); // [B, 1] words per sentence
    const bad = tf.logicalAnd(real, tf.logicalOr(tf.logicalOr(tf.less(starts, 0), tf.lessEqual(ends, starts)), tf.greater(ends, lengths))); // [B, S]
    const widths = tf.where(real, tf.sub(ends, starts), tf.zerosLike(starts)); // [B, S]
    return tf.stack([tf.max(widths), tf.sum(tf.cast(bad, 'int32'))]).dataSync(); // [2]
  });
  if (badCount > 0) throw new Error(`${kind}: ${describeFirstBadSpan(spans, spanMask, mask)}`);
  return Math.max(1, widest);
}

/** Reads the spans back to name the first real span outside its sentence (error path only). */
function describeFirstBadSpan(spans: tf.Tensor3D, spanMask: tf.Tensor2D, mask: tf.Tensor2D): string {
  const bounds = spans.arraySync();
  const real = spanMask.arraySync();
  const lengths = mask.arraySync().map((row) => row.filter((v) => v !== 0).length);
  for (let b = 0; b < bounds.length; b++) {
    for (let s = 0; s < bounds[b].length; s++) {
      const [start, end] = bounds[b][s];
      if (real[b][s] !== 0 && !(start >= 0 && end > start && end <= lengths[b])) {
        return `spans[${b}][${s}] = [${start}, ${end}) is not a non-empty span inside sentence ${b} (${lengths[b]} words); mask it out or fix its bounds`;
      }
    }
  }
  return 'a real span lies outside its sentence';
}
