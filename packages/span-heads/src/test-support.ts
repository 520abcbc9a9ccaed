/**
 * Plain-JS helpers for this package's tests (not exported): seeded encoder
 * outputs and spans, and naive layers computed from a module's parameters, so
 * a test's expectation shares no code with the tensor implementation.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { Rng } from '@spanrel/tensor-core';

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

/** `count[b]` random spans `[start, end)` of width 1..maxWidth inside a sentence of `lengths[b]` words. */
export function randomSpans(lengths: number[], count: number[], maxWidth: number, rng: Rng): [number, number][][] {
  return lengths.map((n, b) =>
    Array.from({ length: count[b] }, () => {
      const start = rng.int(n);
      return [start, start + 1 + rng.int(Math.min(maxWidth, n - start))] as [number, number];
    }),
  );
}

/** `x · kernel + bias`. */
export function naiveDense(x: number[], kernel: number[][], bias: number[] | null): number[] {
  return kernel[0].map((_, o) => x.reduce((acc, xi, i) => acc + xi * kernel[i][o], bias ? bias[o] : 0));
}

/** An MLP (hidden layers through `activation`, ReLU by default; linear last layer) from the parameters `<prefix>layers.<i>.kernel` / `.bias` of a module. */
export function naiveMlp(params: Map<string, tf.Variable>, prefix: string, x: number[], activation: (v: number) => number = (v) => Math.max(0, v)): number[] {
  let h = x;
  for (let i = 0; params.has(`${prefix}layers.${i}.kernel`); i++) {
    const kernel = params.get(`${prefix}layers.${i}.kernel`)!.arraySync() as number[][];
    const bias = params.has(`${prefix}layers.${i}.bias`) ? (params.get(`${prefix}layers.${i}.bias`)!.arraySync() as number[]) : null;
    const pre = naiveDense(h, kernel, bias);
    h = params.has(`${prefix}layers.${i + 1}.kernel`) ? pre.map(activation) : pre;
  }
  return h;
}

/** Softmax of a plain array. */
export function naiveSoftmax(v: number[]): number[] {
  const top = Math.max(...v);
  const e = v.map((x) => Math.exp(x - top));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/** Largest |a - b| over two equally shaped nested arrays (Infinity if their sizes differ). */
export function maxAbsDiff(a: unknown, b: unknown): number {
  const flatA = [a].flat(Infinity) as number[];
  const flatB = [b].flat(Infinity) as number[];
  if (flatA.length !== flatB.length) return Infinity;
  return flatA.reduce((worst, v, i) => Math.max(worst, Math.abs(v - flatB[i])), 0);
}
