/**
 * Plain-JS helpers for this package's tests (not exported): seeded encoder
 * outputs and spans (tensor-core's naive layers, computed from a module's
 * parameters, re-exported), so a test's expectation shares no code with the
 * tensor implementation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { Rng } from '@spanrel/tensor-core';

// The naive layers and random spans are tensor-core's (shared with every head package's tests).
export { maxAbsDiff, naiveDense, naiveMlp, naiveSoftmax, randomSpans } from '@spanrel/tensor-core';

/** A seeded `[rows][cols]` array of uniform values in [-1, 1). */
export function randomMatrix(rows: number, cols: number, rng: Rng): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.next() * 2 - 1));
}

/** Encoder output as plain arrays (states of padding words are 0) plus its tensors. */
export interface FakeEncoding {
  hidden: number[][][]; // [B][T][D]
  mask: number[][]; // [B][T]
  cls: number[][]; // [B][D]
  wordVectors?: number[][][]; // [B][T][E]
  enc: EncoderOutput;
}

/**
 * A random encoder output for sentences of the given lengths, padded to the longest.
 * With `distinct`, all hidden values are distinct (safe for max-pool finite differences).
 */
export function fakeEncoding(lengths: number[], dim: number, seed: number, wordVectorDim?: number, distinct = false): FakeEncoding {
  const rng = new Rng(seed);
  const seqLen = Math.max(...lengths);
  const mask = lengths.map((n) => Array.from({ length: seqLen }, (_, t) => (t < n ? 1 : 0)));
  let counter = 0;
  const order = distinct ? rng.shuffle(Array.from({ length: lengths.length * seqLen * dim }, (_, i) => i)) : [];
  const value = () => (distinct ? (order[counter++] / order.length) * 2 - 1 : rng.next() * 2 - 1);
  const hidden = lengths.map((n) => Array.from({ length: seqLen }, (_, t) => Array.from({ length: dim }, () => (t < n ? value() : (value(), 0)))));
  const cls = lengths.map(() => Array.from({ length: dim }, () => rng.next() * 2 - 1));
  const wordVectors =
    wordVectorDim === undefined ? undefined : lengths.map((n) => Array.from({ length: seqLen }, (_, t) => Array.from({ length: wordVectorDim }, () => (t < n ? rng.next() * 2 - 1 : 0))));
  const enc: EncoderOutput = {
    hidden: tf.tensor3d(hidden),
    mask: tf.tensor2d(mask),
    cls: tf.tensor2d(cls),
    ...(wordVectors ? { wordVectors: tf.tensor3d(wordVectors) } : {}),
  };
  return { hidden, mask, cls, wordVectors, enc };
}

/** Frees the tensors of a fake encoding. */
export function disposeEncoding(fake: FakeEncoding): void {
  tf.dispose([fake.enc.hidden, fake.enc.mask, fake.enc.cls, ...(fake.enc.wordVectors ? [fake.enc.wordVectors] : [])]);
}
