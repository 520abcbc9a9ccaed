/**
 * Naive layers in plain JS numbers, computed from a module's parameters: the
 * independent expectation a head's test compares its tensors with (they share
 * no code with the tfjs implementation), and random span lists to feed it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../init/rng.js';

/** `x · kernel + bias` for one row: x [in], kernel [in][out], bias [out] or none -> [out]. */
export function naiveDense(x: number[], kernel: number[][], bias: number[] | null): number[] {
  return kernel[0].map((_, o) => x.reduce((acc, xi, i) => acc + xi * kernel[i][o], bias ? bias[o] : 0));
}

/**
 * An MLP from the parameters `<prefix>layers.<i>.kernel` / `.bias` (a bias may
 * be absent) of a module, for one row: every layer but the last through
 * `activation` (ReLU by default), the last linear.
 */
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

/** Softmax of a plain array (shifted by its max, as a stable kernel computes it). */
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

/** `count[b]` random spans `[start, end)` of width 1..maxWidth inside a sentence of `lengths[b]` words. */
export function randomSpans(lengths: number[], count: number[], maxWidth: number, rng: Rng): [number, number][][] {
  return lengths.map((n, b) =>
    Array.from({ length: count[b] }, () => {
      const start = rng.int(n);
      return [start, start + 1 + rng.int(Math.min(maxWidth, n - start))] as [number, number];
    }),
  );
}
