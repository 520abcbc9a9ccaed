/**
 * Plain-JS helpers for this package's tests (not exported): seeded encoder
 * outputs, spans and span representations (tensor-core's naive
 * layers re-exported), so an expectation shares no code with the implementation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { Rng } from '@spanrel/tensor-core';

// The naive layers and random spans are tensor-core's (shared with every head package's tests).
export { maxAbsDiff, naiveDense, naiveMlp, naiveSoftmax, randomSpans } from '@spanrel/tensor-core';

/** Encoder output as plain arrays (states of padding words are 0) plus its tensors. */
export interface FakeEncoding {
  hidden: number[][][]; // [B][T][D]
  enc: EncoderOutput;
}

/** A random encoder output; with `distinct`, all real state values differ (safe for max-pool finite differences). */
export function fakeEncoding(lengths: number[], dim: number, seed: number, distinct = false): FakeEncoding {
  const rng = new Rng(seed);
  const seqLen = Math.max(...lengths);
  const total = lengths.length * seqLen * dim;
  const order = rng.shuffle(Array.from({ length: total }, (_, i) => i));
  let counter = 0;
  const value = () => (distinct ? (order[counter++] / total) * 2 - 1 : rng.next() * 2 - 1);
  const hidden = lengths.map((n) => Array.from({ length: seqLen }, (_, t) => Array.from({ length: dim }, () => (t < n ? value() : 0))));
  const enc: EncoderOutput = {
    hidden: tf.tensor3d(hidden),
    mask: tf.tensor2d(lengths.map((n) => Array.from({ length: seqLen }, (_, t) => (t < n ? 1 : 0)))),
    cls: tf.tensor2d(lengths.map(() => Array.from({ length: dim }, () => rng.next()))),
  };
  return { hidden, enc };
}

export function disposeEncoding(fake: FakeEncoding): void {
  tf.dispose([fake.enc.hidden, fake.enc.mask, fake.enc.cls]);
}

/** Span lists padded with `(0, 0)` to K, as int32 `[B, K, 2]` plus the `[B, K]` mask. */
export function spanTensors(lists: [number, number][][]): { spans: tf.Tensor3D; spanMask: tf.Tensor2D } {
  const numSpans = Math.max(1, ...lists.map((l) => l.length));
  return {
    spans: tf.tensor3d(lists.map((l) => Array.from({ length: numSpans }, (_, k) => l[k] ?? [0, 0])), undefined, 'int32'),
    spanMask: tf.tensor2d(lists.map((l) => Array.from({ length: numSpans }, (_, k) => (k < l.length ? 1 : 0)))),
  };
}

/** The words strictly between two spans, from their bounds: after the one that ends first, before the other starts. */
export function naiveBetween([s1, e1]: [number, number], [s2, e2]: [number, number]): number[] {
  if (e1 <= s2) return Array.from({ length: s2 - e1 }, (_, k) => e1 + k);
  if (e2 <= s1) return Array.from({ length: s1 - e2 }, (_, k) => e2 + k);
  return []; // overlapping or nested
}

export const naiveSigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
