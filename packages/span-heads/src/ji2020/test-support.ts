/**
 * Plain-JS reference of {@link Ji2020ContextAttention} for this folder's tests (not
 * exported): every variant computed query by query from the module's parameters,
 * so an expectation shares no code with the tensor implementation.
 *
 * The relation-heads Ji 2020 tests use it too (by relative path: it is not exported).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { naiveDense, naiveMlp, naiveSoftmax, type AttentionVariant } from '@spanrel/tensor-core';

type Params = Map<string, tf.Variable>;

const read2d = (params: Params, name: string): number[][] => {
  const v = params.get(name);
  if (!v) throw new Error(`test-support: no parameter ${name}; have ${[...params.keys()].join(', ')}`);
  return v.arraySync() as number[][];
};
const read1d = (params: Params, name: string): number[] | null => (params.has(name) ? (params.get(name)!.arraySync() as number[]) : null);

/** `x · kernel + bias`, and softmax: tensor-core's naive layers. */
export const dense = naiveDense;
export const softmax = naiveSoftmax;

/** The FFNN `<prefix>layers.<i>.*` of a module: ReLU after every layer but the last, and after the last too when `reluLast`. */
export function ffn(params: Params, prefix: string, x: number[], reluLast: boolean): number[] {
  const out = naiveMlp(params, prefix, x);
  return reluLast && params.has(`${prefix}layers.0.kernel`) ? out.map((v) => Math.max(0, v)) : out; // no layers: x itself
}

/** `Σ_t w_t v_t`. */
function weightedSum(weights: number[], vectors: number[][]): number[] {
  return vectors[0].map((_, d) => weights.reduce((acc, w, t) => acc + w * vectors[t][d], 0));
}

/**
 * `Attention(query, keys, keys)` of a `Ji2020ContextAttention` whose parameters are
 * `params` under `prefix` (e.g. `"sentenceAttention."`).
 *
 * @param keys the attendable keys only (masked ones left out); none gives the 0 vector
 * @param dim D, the size of the keys and of the output
 */
export function naiveContextAttention(
  params: Params,
  prefix: string,
  setup: { attention: AttentionVariant; numHeads: number },
  query: number[],
  keys: number[][],
  dim: number,
): number[] {
  if (keys.length === 0) return new Array(dim).fill(0);
  const p = (name: string) => `${prefix}${name}`;
  switch (setup.attention) {
    case 'multi-head': {
      const projected = params.has(p('query.layers.0.kernel'));
      const q0 = projected ? ffn(params, p('query.'), query, true) : query; // the pre-projection FFNN ends in a ReLU
      const k0 = keys.map((k) => (projected ? ffn(params, p('key.'), k, true) : k));
      const q = dense(q0, read2d(params, p('attention.query.kernel')), read1d(params, p('attention.query.bias')));
      const ks = k0.map((k) => dense(k, read2d(params, p('attention.key.kernel')), read1d(params, p('attention.key.bias'))));
      const vs = keys.map((k) => dense(k, read2d(params, p('attention.value.kernel')), read1d(params, p('attention.value.bias'))));
      const headDim = q.length / setup.numHeads;
      const merged: number[] = [];
      for (let h = 0; h < setup.numHeads; h++) {
        const slice = (v: number[]) => v.slice(h * headDim, (h + 1) * headDim);
        const scores = ks.map((k) => slice(k).reduce((acc, kc, c) => acc + kc * slice(q)[c], 0) / Math.sqrt(headDim));
        merged.push(...weightedSum(softmax(scores), vs.map(slice)));
      }
      return dense(merged, read2d(params, p('attention.output.kernel')), read1d(params, p('attention.output.bias')));
    }
    case 'additive': {
      const q = dense(query, read2d(params, p('attention.query.kernel')), read1d(params, p('attention.query.bias')));
      const v = read2d(params, p('attention.score.kernel')).map((row) => row[0]);
      const scores = keys.map((k) => {
        const kk = dense(k, read2d(params, p('attention.key.kernel')), null);
        return v.reduce((acc, vh, h) => acc + vh * Math.tanh(q[h] + kk[h]), 0);
      });
      return weightedSum(softmax(scores), keys);
    }
    case 'dot-product': {
      const q = ffn(params, p('attention.query.'), query, false);
      const w = read1d(params, p('attention.weight'))!;
      const scores = keys.map((k) => {
        const kk = ffn(params, p('attention.key.'), k, false);
        return w.reduce((acc, wh, h) => acc + wh * q[h] * kk[h], 0);
      });
      return weightedSum(softmax(scores), keys);
    }
    case 'general': {
      const bilinear = read2d(params, p('attention.bilinear.kernel'));
      const qW = dense(query, bilinear, null);
      const scores = keys.map((k) => k.reduce((acc, kj, j) => acc + kj * qW[j], 0));
      return weightedSum(softmax(scores), keys);
    }
  }
}
