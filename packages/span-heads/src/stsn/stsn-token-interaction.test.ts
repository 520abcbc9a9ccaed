import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, checkVariableGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../test-support.js';
import { StsnAttentionLayer, StsnAttentionUnit, StsnTokenInteraction, type StsnViews } from './index.js';
import { attentionLayer, attentionUnit, layerNorm, linear, preNormAttentionUnit, plainParams, randomizeParameters, tokenInteraction, type PlainViews } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const EPS = 1e-5; // the units' default layer-norm epsilon

/** `[B][T]` 0/1 masks for sentences of the given lengths, padded to T. */
function lengthMask(lengths: number[], seqLen: number): number[][] {
  return lengths.map((n) => Array.from({ length: seqLen }, (_, t) => (t < n ? 1 : 0)));
}

function viewsToArrays(views: StsnViews): { label: number[][][]; entity: number[][][]; relation: number[][][] } {
  return { label: views.label.arraySync(), entity: views.entity.arraySync(), relation: views.relation.arraySync() };
}

describe('StsnAttentionUnit ("stsn-attention-unit.v1")', () => {
  const unit = registry.build<StsnAttentionUnit>('stsn-attention-unit.v1', { dim: 8, numHeads: 2, ffnDim: 6, seed: 1 });
  randomizeParameters(unit, 2);
  // Query and key/value have different lengths, so swapping them cannot go unnoticed.
  const query = randomTensor([3, 4, 8], 3) as tf.Tensor3D; // [B, Tq, d]
  const keyValue = randomTensor([3, 5, 8], 4) as tf.Tensor3D; // [B, Tk, d]
  const keyMask = tf.tensor2d([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]]); // sentence 2: no real key

  afterAll(() => {
    tf.dispose([query, keyValue, keyMask]);
    unit.dispose();
  });

  it('has the documented defaults and parameters', () => {
    const plain = new StsnAttentionUnit({ dim: 16 });
    expect(plain.config()).toEqual({ dim: 16, numHeads: 8, ffnDim: 16, dropout: 0.1, layerNormEps: 1e-5, norm: 'post', seed: 0 });
    const shapes = Object.fromEntries([...unit.parameters()].map(([name, v]) => [name, v.shape]));
    expect(shapes).toEqual({
      'attention.query.kernel': [8, 8], 'attention.query.bias': [8],
      'attention.key.kernel': [8, 8], 'attention.key.bias': [8],
      'attention.value.kernel': [8, 8], 'attention.value.bias': [8],
      'attention.output.kernel': [8, 8], 'attention.output.bias': [8],
      'attentionNorm.gamma': [8], 'attentionNorm.beta': [8],
      'ffn.layers.0.kernel': [8, 6], 'ffn.layers.0.bias': [6],
      'ffn.layers.1.kernel': [6, 8], 'ffn.layers.1.bias': [8],
      'ffnNorm.gamma': [8], 'ffnNorm.beta': [8],
    });
    plain.dispose();
    expect(() => new StsnAttentionUnit({ dim: 6, numHeads: 4 })).toThrow(/config.dim \(6\) must be divisible by config.numHeads \(4\)/);
    expect(() => new StsnAttentionUnit({ dim: 8, heads: 2 } as never)).toThrow(/unknown config field\(s\) "heads"/);
  });

  it('matches a naive multi-head attention + FFN with residuals and layer norms; padding keys get no weight', () => {
    const out = tf.tidy(() => unit.apply(query, keyValue, keyMask, false).arraySync());
    const p = plainParams(unit);
    const [q, kv, m] = [query.arraySync(), keyValue.arraySync(), keyMask.arraySync()];
    for (let b = 0; b < 3; b++) expect(maxAbsDiff(out[b], attentionUnit(p, '', q[b], kv[b], m[b], 2, EPS))).toBeLessThan(1e-4);
    // Changing a padding key or value changes nothing.
    const changed = tf.tidy(() => {
      const noisy = tf.add(keyValue, tf.mul(tf.reshape(tf.oneHot([3], 5), [1, 5, 1]), 7)) as tf.Tensor3D; // key 3 (padding in sentence 0) + 7
      return unit.apply(query, noisy, keyMask, false).arraySync();
    });
    expect(maxAbsDiff(changed[0], out[0])).toBe(0);
    expect(maxAbsDiff(changed[1], out[1])).toBeGreaterThan(1e-3); // key 3 is real there
  });

  it('norm "pre": matches a naive pre-LN unit (norms before attention and FFN, residual stream without a norm)', () => {
    const pre = registry.build<StsnAttentionUnit>('stsn-attention-unit.v1', { dim: 8, numHeads: 2, ffnDim: 6, seed: 1, norm: 'pre' });
    randomizeParameters(pre, 2);
    const out = tf.tidy(() => pre.apply(query, keyValue, keyMask, false).arraySync());
    const p = plainParams(pre);
    const [q, kv, m] = [query.arraySync(), keyValue.arraySync(), keyMask.arraySync()];
    for (let b = 0; b < 3; b++) expect(maxAbsDiff(out[b], preNormAttentionUnit(p, '', q[b], kv[b], m[b], 2, EPS))).toBeLessThan(1e-4);
    // Same parameters, other placement: the post-LN unit computes something else.
    expect(maxAbsDiff(out[1], attentionUnit(p, '', q[1], kv[1], m[1], 2, EPS))).toBeGreaterThan(1e-2);
    expect(pre.config().norm).toBe('pre');
    expect(() => new StsnAttentionUnit({ dim: 8, numHeads: 2, norm: 'middle' as never })).toThrow(/config.norm must be "post" or "pre", got "middle"/);
    pre.dispose();
  });

  it('applies dropout only while training', () => {
    tf.tidy(() => {
      const evalOut = unit.apply(query, keyValue, keyMask, false);
      expect(maxAbsDiff(unit.apply(query, keyValue, keyMask, false).arraySync(), evalOut.arraySync())).toBe(0);
      expect(maxAbsDiff(unit.apply(query, keyValue, keyMask, true).arraySync(), evalOut.arraySync())).toBeGreaterThan(1e-3);
    });
  });
});

describe('StsnAttentionLayer ("stsn-attention-layer.v1")', () => {
  const lengths = [4, 2];
  const mask = tf.tensor2d(lengthMask(lengths, 4)); // [B, T]
  const views: StsnViews = {
    label: randomTensor([2, 4, 4], 11) as tf.Tensor3D,
    entity: randomTensor([2, 4, 4], 12) as tf.Tensor3D,
    relation: randomTensor([2, 4, 4], 13) as tf.Tensor3D,
  };

  afterAll(() => tf.dispose([mask, views.label, views.entity, views.relation]));

  for (const erla of [true, false]) {
    it(`matches the naive layer equations (erla ${erla})`, () => {
      const layer = registry.build<StsnAttentionLayer>('stsn-attention-layer.v1', { dim: 4, numHeads: 2, erla, seed: 5 });
      randomizeParameters(layer, 6);
      expect(layer.parameters().has('combine.kernel')).toBe(erla);
      if (erla) expect(layer.parameters().get('combine.kernel')!.shape).toEqual([8, 4]); // W_C ∈ R^{2d×d}
      const out = tf.tidy(() => viewsToArrays(layer.apply(views, mask, false)));
      const p = plainParams(layer);
      const m = mask.arraySync();
      const input = viewsToArrays(views);
      for (let b = 0; b < 2; b++) {
        const naive = attentionLayer(p, '', { label: input.label[b], entity: input.entity[b], relation: input.relation[b] }, m[b], 2, EPS, erla);
        for (const view of ['label', 'entity', 'relation'] as const) expect(maxAbsDiff(out[view][b], naive[view])).toBeLessThan(1e-4);
      }
      layer.dispose();
    });
  }
});

describe('StsnTokenInteraction ("stsn-token-interaction.v1")', () => {
  const lengths = [5, 3];
  const hidden = randomTensor([2, 5, 6], 21) as tf.Tensor3D; // [B, T, D]
  const mask = tf.tensor2d(lengthMask(lengths, 5)); // [B, T]
  const base = { inputDim: 6, hiddenDim: 4, numHeads: 2, ffnDim: 5, seed: 22 };

  afterAll(() => tf.dispose([hidden, mask]));

  it('has the paper defaults (4 layers, 8 heads, d = D)', () => {
    const plain = new StsnTokenInteraction({ inputDim: 8 });
    expect(plain.config()).toEqual({
      inputDim: 8, hiddenDim: 8, numLayers: 4, numHeads: 8, ffnDim: 8, dropout: 0.1, layerNormEps: 1e-5, norm: 'post', inputLayerNorm: false, erla: true, attentionLayers: true, seed: 0,
    });
    expect(plain.layers.length).toBe(4);
    plain.dispose();
  });

  const flagCases: { name: string; config: object; layers: number; combine: boolean }[] = [
    ...[1, 2, 3, 4, 5, 6].map((numLayers) => ({ name: `numLayers ${numLayers}`, config: { numLayers }, layers: numLayers, combine: true })),
    { name: '-E&R-L-A (erla: false)', config: { numLayers: 2, erla: false }, layers: 2, combine: false },
    { name: '-AttentionLayer (attentionLayers: false)', config: { numLayers: 3, attentionLayers: false }, layers: 0, combine: false },
  ];
  for (const { name, config, layers, combine } of flagCases) {
    it(`builds from config (${name}) with the documented parameters and shapes, and matches the naive forward`, () => {
      const interaction = registry.build<StsnTokenInteraction>('stsn-token-interaction.v1', { ...base, ...config });
      const rebuilt = registry.build<StsnTokenInteraction>('stsn-token-interaction.v1', interaction.config());
      expect(rebuilt.config()).toEqual(interaction.config());
      rebuilt.dispose();
      const names = [...interaction.parameters().keys()];
      expect(interaction.layers.length).toBe(layers);
      expect(names.filter((n) => n.endsWith('Projection.kernel')).sort()).toEqual(['entityProjection.kernel', 'labelProjection.kernel', 'relationProjection.kernel']);
      expect(interaction.parameters().get('labelProjection.kernel')!.shape).toEqual([6, 4]);
      expect(new Set(names.filter((n) => n.startsWith('layers.')).map((n) => n.split('.')[1]))).toEqual(new Set(Array.from({ length: layers }, (_, i) => `${i}`)));
      expect(names.some((n) => n.includes('.combine.'))).toBe(combine);
      expect(names.filter((n) => /^layers\.0\.(erla|lea|lra)\.attention\.query\.kernel$/.test(n)).length).toBe(layers > 0 ? 3 : 0);

      randomizeParameters(interaction, 23);
      const out = tf.tidy(() => {
        const views = interaction.apply(hidden, mask, false);
        expect([views.label.shape, views.entity.shape, views.relation.shape]).toEqual([[2, 5, 4], [2, 5, 4], [2, 5, 4]]);
        return viewsToArrays(views);
      });
      const p = plainParams(interaction);
      const h = hidden.arraySync();
      const m = mask.arraySync();
      const s = interaction.config();
      for (let b = 0; b < 2; b++) {
        const naive = tokenInteraction(p, h[b], m[b], s);
        for (const view of ['label', 'entity', 'relation'] as const) {
          expect(maxAbsDiff(out[view][b], naive[view])).toBeLessThan(1e-4);
          expect(out[view][b].slice(lengths[b]).flat().every((v) => v === 0)).toBe(true); // padding rows are exactly 0
        }
      }
      interaction.dispose();
    });
  }

  /**
   * Runs `interact` from random initial views, then again with one view changed at
   * token `t` of sentence `b`, and reports which final views changed at the real
   * tokens of that sentence (the other sentence must not change at all).
   */
  function changedViews(interaction: StsnTokenInteraction, which: keyof StsnViews, b: number, t: number): Record<keyof StsnViews, boolean> {
    let result = { label: false, entity: false, relation: false };
    tf.tidy(() => {
      const initial: StsnViews = {
        label: randomTensor([2, 5, 4], 31) as tf.Tensor3D,
        entity: randomTensor([2, 5, 4], 32) as tf.Tensor3D,
        relation: randomTensor([2, 5, 4], 33) as tf.Tensor3D,
      };
      const where = tf.tensor3d(Array.from({ length: 2 }, (_, i) => Array.from({ length: 5 }, (_, j) => [i === b && j === t ? 1 : 0]))); // [2, 5, 1]
      const bump = tf.mul(where, tf.tensor1d([0.9, -0.7, 0.5, 0.3])); // [2, 5, 4]
      const perturbed = { ...initial, [which]: tf.add(initial[which], bump) };
      const before = viewsToArrays(interaction.interact(initial, mask, false));
      const after = viewsToArrays(interaction.interact(perturbed, mask, false));
      const other = 1 - b;
      for (const view of ['label', 'entity', 'relation'] as const) expect(maxAbsDiff(before[view][other], after[view][other])).toBe(0);
      const changed = (view: keyof StsnViews) => maxAbsDiff(before[view][b].slice(0, lengths[b]), after[view][b].slice(0, lengths[b])) > 1e-5;
      result = { label: changed('label'), entity: changed('entity'), relation: changed('relation') };
    });
    return result;
  }

  it('inputLayerNorm: the initial views project the layer-normed word states (naive per word)', () => {
    const normed = new StsnTokenInteraction({ inputDim: 6, hiddenDim: 4, numHeads: 2, numLayers: 1, inputLayerNorm: true, seed: 3 });
    randomizeParameters(normed, 5);
    const states = tf.mul(randomTensor([2, 3, 6], 7), 0.05) as tf.Tensor3D; // small, as a BiLSTM's
    const views = normed.project(states);
    const got = viewsToArrays(views);
    const p = plainParams(normed);
    states.arraySync().forEach((sentence, b) =>
      sentence.forEach((word, t) => {
        const x = layerNorm(p, 'inputNorm.', word, 1e-5);
        expect(maxAbsDiff([got.label[b][t]], [linear(p, 'labelProjection.', x)])).toBeLessThan(1e-4);
        expect(maxAbsDiff([got.entity[b][t]], [linear(p, 'entityProjection.', x)])).toBeLessThan(1e-4);
      }),
    );
    expect([...normed.parameters().keys()].filter((n) => n.startsWith('inputNorm.'))).toEqual(['inputNorm.gamma', 'inputNorm.beta']);
    expect([...new StsnTokenInteraction({ inputDim: 6, hiddenDim: 4, numHeads: 2 }).parameters().keys()].some((n) => n.startsWith('inputNorm.'))).toBe(false);
    tf.dispose([states, views.label, views.entity, views.relation]);
    normed.dispose();
  });

  it('routes information as the paper says: H_E and H_R reach every view through E&R-L-A, and only through it', () => {
    for (const numLayers of [1, 2]) {
      const full = new StsnTokenInteraction({ ...base, numLayers });
      randomizeParameters(full, 41);
      // E&R-L-A: H_L attends over H_C = [H_E; H_R] W_C, then L-E-A and L-R-A attend over the new H_L.
      expect(changedViews(full, 'relation', 0, 1)).toEqual({ label: true, entity: true, relation: true });
      expect(changedViews(full, 'entity', 0, 1)).toEqual({ label: true, entity: true, relation: true });
      expect(changedViews(full, 'label', 0, 1)).toEqual({ label: true, entity: true, relation: true });
      full.dispose();

      const noErla = new StsnTokenInteraction({ ...base, numLayers, erla: false });
      randomizeParameters(noErla, 41);
      // -E&R-L-A: H_L only attends over itself; H_E and H_R only read H_L (and their own residual).
      expect(changedViews(noErla, 'relation', 0, 1)).toEqual({ label: false, entity: false, relation: true });
      expect(changedViews(noErla, 'entity', 0, 1)).toEqual({ label: false, entity: true, relation: false });
      expect(changedViews(noErla, 'label', 0, 1)).toEqual({ label: true, entity: true, relation: true });
      noErla.dispose();
    }
  });

  it('masks padding tokens in every attention: changing any view at a padding token changes nothing', () => {
    const interaction = new StsnTokenInteraction({ ...base, numLayers: 2 });
    randomizeParameters(interaction, 42);
    for (const which of ['label', 'entity', 'relation'] as const) {
      expect(changedViews(interaction, which, 1, 4)).toEqual({ label: false, entity: false, relation: false }); // sentence 1 has 3 real tokens
      expect(changedViews(interaction, which, 1, 2)).toEqual({ label: true, entity: true, relation: true }); // a real token does reach every view
    }
    interaction.dispose();
  });

  it('has correct gradients w.r.t. the word states and W_C (finite differences)', () => {
    const small = new StsnTokenInteraction({ inputDim: 3, hiddenDim: 4, numHeads: 2, ffnDim: 3, numLayers: 1, seed: 51 });
    randomizeParameters(small, 52);
    const x = randomTensor([1, 3, 3], 53) as tf.Tensor3D; // [B=1, T=3, D=3]
    const m = tf.tensor2d([[1, 1, 0]]); // one padding token
    const all = (v: StsnViews) => tf.concat([v.label, v.entity, v.relation], 2); // [1, 3, 12]
    checkGradients((h) => all(small.apply(h as tf.Tensor3D, m, false)), [x], { eps: 3e-3 });
    checkVariableGradients(() => all(small.apply(x, m, false)), [small.parameters().get('layers.0.combine.kernel')!], { eps: 3e-3 });
    tf.dispose([x, m]);
    small.dispose();
  });

  it('checks its inputs and leaks no tensor', () => {
    const interaction = new StsnTokenInteraction({ ...base, numLayers: 2, dropout: 0.2 });
    expect(() => interaction.apply(tf.zeros([2, 5, 5]) as tf.Tensor3D, mask, false)).toThrow(/stsn-token-interaction.v1: hidden must be \[B, T, 6\], got \[2, 5, 5\]/);
    expect(() => interaction.apply(hidden, tf.ones([2, 4]) as tf.Tensor2D, false)).toThrow(/mask must be \[B=2, T=5\], got \[2, 4\]/);
    expect(() => new StsnTokenInteraction({ inputDim: 6, hiddenDim: 6, numHeads: 4 })).toThrow(/config.hiddenDim \(6\) must be divisible by config.numHeads \(4\)/);
    expect(() => new StsnTokenInteraction({ inputDim: 6, numLayers: 0 })).toThrow(/config.numLayers must be a positive integer, got 0/);
    expectNoLeak(() => interaction.apply(hidden, mask, true));
    expectNoLeak(() => interaction.apply(hidden, mask, false));
    interaction.dispose();
  });
});
