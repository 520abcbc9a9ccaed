import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../module/registry.js';
import { checkGradients, checkVariableGradients, expectNoLeak, randomMask, randomTensor } from '../../testing/index.js';
// The nn index registers every layer in the registry on import.
import { ATTENTION_VARIANTS, type Attention, type AttentionConfig } from '../index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// ---- plain-JS reference -------------------------------------------------------

type Vec = number[];
type Mat = number[][];
const dot = (a: Vec, b: Vec) => a.reduce((acc, v, i) => acc + v * b[i], 0);
const affine = (v: Vec, kernel: Mat, bias?: Vec): Vec => kernel[0].map((_, o) => v.reduce((acc, vi, i) => acc + vi * kernel[i][o], bias ? bias[o] : 0));

/** softmax over the kept scores, then the weighted sum of the values; null when no key is kept. */
function attendNaive(scores: Vec, keep: Vec, values: Mat): Vec | null {
  const kept = scores.filter((_, j) => keep[j] !== 0);
  if (kept.length === 0) return null;
  const top = Math.max(...kept);
  const exps = scores.map((s, j) => (keep[j] !== 0 ? Math.exp(s - top) : 0));
  const total = exps.reduce((a, b) => a + b, 0);
  return values[0].map((_, d) => values.reduce((acc, row, j) => acc + (exps[j] / total) * row[d], 0));
}

/** Reference output of a module for one (batch, query), reading its parameters. */
function naiveAttention(m: Attention, q: Vec, keys: Mat, values: Mat, keep: Vec): Vec {
  const p = (name: string) => m.parameters().get(name)!.arraySync() as Mat & Vec;
  const cfg = m.config() as Record<string, unknown>;
  let out: Vec | null;
  switch (m.variant) {
    case 'multi-head': {
      const heads = cfg.numHeads as number;
      const hidden = cfg.hiddenDim as number;
      const d = hidden / heads;
      const qp = affine(q, p('query.kernel'), p('query.bias'));
      const kp = keys.map((k) => affine(k, p('key.kernel'), p('key.bias')));
      const vp = values.map((v) => affine(v, p('value.kernel'), p('value.bias')));
      const perHead: (Vec | null)[] = [];
      for (let h = 0; h < heads; h++) {
        const slice = (v: Vec) => v.slice(h * d, (h + 1) * d);
        const scores = kp.map((k) => dot(slice(qp), slice(k)) / Math.sqrt(d));
        perHead.push(attendNaive(scores, keep, vp.map(slice)));
      }
      if (perHead[0] === null) return new Array(m.outputDim).fill(0);
      return affine(perHead.flat() as Vec, p('output.kernel'), p('output.bias'));
    }
    case 'additive': {
      const qp = affine(q, p('query.kernel'), p('query.bias'));
      const v = (p('score.kernel') as Mat).map((row) => row[0]);
      const scores = keys.map((k) => {
        const kp = affine(k, p('key.kernel'));
        return dot(v, qp.map((e, a) => Math.tanh(e + kp[a])));
      });
      out = attendNaive(scores, keep, values);
      break;
    }
    case 'dot-product': {
      const qp = affine(q, p('query.layers.0.kernel'), p('query.layers.0.bias'));
      const w = p('weight') as Vec;
      const scores = keys.map((k) => {
        const kp = affine(k, p('key.layers.0.kernel'), p('key.layers.0.bias'));
        return qp.reduce((acc, e, h) => acc + w[h] * e * kp[h], 0);
      });
      out = attendNaive(scores, keep, values);
      break;
    }
    case 'general': {
      const w = p('bilinear.kernel') as Mat;
      const scores = keys.map((k) => q.reduce((acc, qa, a) => acc + qa * dot(w[a], k), 0));
      out = attendNaive(scores, keep, values);
      break;
    }
  }
  if (out === null) return new Array(m.outputDim).fill(0);
  return cfg.outputDim === null ? out : affine(out, p('output.kernel'), p('output.bias'));
}

// ---- fixtures ---------------------------------------------------------------------

const B = 2;
const Tq = 3;
const Tk = 5;
const dims = { queryDim: 4, keyDim: 6, valueDim: 3 };
const configs: Record<string, AttentionConfig> = {
  'multi-head': { variant: 'multi-head', ...dims, numHeads: 2, hiddenDim: 4, outputDim: 5, seed: 1 },
  additive: { variant: 'additive', ...dims, hiddenDim: 5, seed: 2 },
  'dot-product': { variant: 'dot-product', ...dims, hiddenDim: 3, seed: 3 },
  general: { variant: 'general', ...dims, outputDim: 2, seed: 4 },
};

const query = randomTensor([B, Tq, dims.queryDim], 11) as tf.Tensor3D;
const key = randomTensor([B, Tk, dims.keyDim], 12) as tf.Tensor3D;
const value = randomTensor([B, Tk, dims.valueDim], 13) as tf.Tensor3D;
const keyMask2d = tf.tensor2d([[1, 0, 1, 1, 0], [0, 0, 0, 0, 0]]); // [B, Tk]; sentence 1 has no key
const keyMask3d = randomMask([B, Tq, Tk], 14, 0.6, [2, 3]); // [B, Tq, Tk]; queries (0,2) and (1,0) have no key

/** Compares every (batch, query) output with the hand loop; `perQuery` tells a [B, Tq, Tk] mask from a [B, Tk] one. */
function expectMatchesNaive(m: Attention, mask: tf.Tensor, perQuery: boolean): void {
  const out = tf.tidy(() => m.apply(query, key, value, mask, false).arraySync());
  expect([out.length, out[0].length, out[0][0].length]).toEqual([B, Tq, m.outputDim]);
  const q = query.arraySync();
  const k = key.arraySync();
  const v = value.arraySync();
  const keepOf = perQuery
    ? (b: number, i: number) => (mask.arraySync() as number[][][])[b][i]
    : (b: number) => (mask.arraySync() as number[][])[b];
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < Tq; i++) {
      const expected = naiveAttention(m, q[b][i], k[b], v[b], keepOf(b, i));
      out[b][i].forEach((e, d) => expect(e).toBeCloseTo(expected[d], 5));
    }
  }
}

describe.each(ATTENTION_VARIANTS.map((v) => [v]))('%s attention', (variant) => {
  const config = configs[variant];

  it('is built through "attention.v1" and its own name, and rebuilds identically from config()', () => {
    const m = registry.build<Attention>('attention.v1', config);
    expect(m.variant).toBe(variant);
    expect(m.name).toBe(`${variant}-attention.v1`);
    expect([m.inputDim, m.queryDim, m.keyDim, m.valueDim]).toEqual([4, 4, 6, 3]);
    const json = JSON.parse(JSON.stringify(m.config()));
    expect(json.variant).toBe(variant);
    const twins = [registry.build<Attention>(m.name, json), registry.build<Attention>('attention.v1', json)];
    for (const twin of twins) {
      const a = [...m.parameters()].map(([n, p]) => [n, p.arraySync()]);
      const b = [...twin.parameters()].map(([n, p]) => [n, p.arraySync()]);
      expect(b).toEqual(a);
      twin.dispose();
    }
    m.dispose();
  });

  it('matches a hand loop with a [B, Tk] key mask; a query with no key gives 0', () => {
    const m = registry.build<Attention>('attention.v1', config);
    expectMatchesNaive(m, keyMask2d, false);
    const out = tf.tidy(() => m.apply(query, key, value, keyMask2d, false).arraySync());
    expect(out[1].flat().every((e) => e === 0)).toBe(true);
    m.dispose();
  });

  it('matches a hand loop with a [B, Tq, Tk] key mask, and attends to every key with a null mask', () => {
    const m = registry.build<Attention>('attention.v1', config);
    expectMatchesNaive(m, keyMask3d, true);
    expectMatchesNaive(m, tf.ones([B, Tk]), false);
    tf.tidy(() => {
      const all = m.apply(query, key, value, null, false);
      const ones = m.apply(query, key, value, tf.ones([B, Tk]), false);
      expect(all.arraySync()).toEqual(ones.arraySync());
    });
    m.dispose();
  });

  it('has numerically correct gradients w.r.t. query, key, value and parameters (with fully masked rows)', () => {
    const m = registry.build<Attention>('attention.v1', config);
    checkGradients((q, k, v) => m.apply(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D, keyMask3d, false), [query, key, value]);
    checkVariableGradients(() => m.apply(query, key, value, keyMask2d, false), [...m.parameters().values()].slice(0, 2));
    m.dispose();
  });

  it('applies seeded attention dropout only when training', () => {
    const m = registry.build<Attention>('attention.v1', { ...config, attentionDropout: 0.5 });
    const twin = registry.build<Attention>('attention.v1', m.config());
    tf.tidy(() => {
      const evalOut = m.apply(query, key, value, keyMask2d, false).arraySync();
      expect(m.apply(query, key, value, keyMask2d, false).arraySync()).toEqual(evalOut);
      const trained = m.apply(query, key, value, keyMask2d, true).arraySync();
      expect(trained).not.toEqual(evalOut);
      expect(twin.apply(query, key, value, keyMask2d, true).arraySync()).toEqual(trained);
    });
    [m, twin].forEach((x) => x.dispose());
  });

  it('rejects mismatched shapes with the module name', () => {
    const m = registry.build<Attention>('attention.v1', config);
    expect(() => m.apply(key, key, value, null, false)).toThrow(new RegExp(`${variant}-attention.v1: query must be \\[B, Tq, queryDim=4\\]`));
    expect(() => m.apply(query, key, value, tf.ones([B, Tk + 1]), false)).toThrow(/keyMask must be/);
    expect(() => m.apply(query, key, tf.zeros([B, Tk, 7]) as tf.Tensor3D, null, false)).toThrow(/value must be/);
    m.dispose();
  });

  it('leaks no tensors', () => {
    const m = registry.build<Attention>('attention.v1', { ...config, attentionDropout: 0.1 });
    expectNoLeak(() => m.apply(query, key, value, keyMask3d, true));
    expectNoLeak(() => m.apply(query, key, value, null, false));
    m.dispose();
  });
});

describe('attention configs', () => {
  it('rejects an unknown variant and a head count that does not divide hiddenDim', () => {
    expect(() => registry.build('attention.v1', { variant: 'cosine', ...dims })).toThrow(/attention.v1: config.variant must be one of multi-head, additive, dot-product, general, got "cosine"/);
    expect(() => registry.build('attention.v1', { variant: 'multi-head', ...dims, numHeads: 3 })).toThrow(/hiddenDim \(4\) must be divisible by config.numHeads \(3\)/);
  });

  it('fills defaults: 8 heads, hiddenDim = queryDim, outputDim = valueDim for single-head variants', () => {
    const mh = registry.build<Attention>('attention.v1', { variant: 'multi-head', queryDim: 16, keyDim: 16, valueDim: 16 });
    expect(mh.config()).toMatchObject({ numHeads: 8, hiddenDim: 16, outputDim: 16, attentionDropout: 0, seed: 0 });
    const add = registry.build<Attention>('attention.v1', { variant: 'additive', ...dims });
    expect(add.outputDim).toBe(3);
    expect(add.config()).toMatchObject({ outputDim: null, hiddenDim: 4 });
    [mh, add].forEach((x) => x.dispose());
  });
});
