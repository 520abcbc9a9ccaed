import * as tf from '@tensorflow/tfjs-core';
import { ATTENTION_VARIANTS, Registry, Rng, checkGradients, checkVariableGradients, expectNoLeak, initBackend, registry, type AttentionVariant } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spansToTensor } from '../index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveMlp, naiveSoftmax, randomSpans, type FakeEncoding } from '../test-support.js';
import { JI2020_HYPERPARAMETERS, Ji2020SpanHead, registerJi2020SpanHeads, type Ji2020SpanHeadConfig } from './index.js';
import { naiveContextAttention } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Ji 2020's R_s for one span in plain JS: [T_s; F_s; H_s; W], or its ablations. */
function naiveJiSpan(head: Ji2020SpanHead, fake: FakeEncoding, b: number, [start, end]: [number, number]): number[] {
  const params = head.parameters();
  const c = head.config();
  const states = fake.hidden[b];
  const words = states.slice(start, end);
  let query: number[];
  let parts: number[];
  if (c.spanSpecific) {
    const alphas = naiveSoftmax(words.map((x) => naiveMlp(params, 'spanAttention.', x)[0])); // α_k
    const spanSpecific = states[0].map((_, d) => alphas.reduce((acc, a, k) => acc + a * words[k][d], 0)); // F_s
    query = spanSpecific;
    parts = [...spanSpecific, ...states[start], ...states[end - 1]]; // [F_s; H_s]
  } else {
    query = states[0].map((_, d) => Math.max(...words.map((x) => x[d]))); // max-pool of B_s
    parts = query;
  }
  const length = fake.mask[b].filter((m) => m !== 0).length;
  const sentence = [fake.cls[b], ...states.slice(0, length)]; // B_S = [X_0 = CLS; real words]
  const context = c.sentenceLevel ? naiveContextAttention(params, 'sentenceAttention.', c, query, sentence, c.inputDim) : fake.cls[b]; // T_s
  const width = c.widthDim > 0 ? (params.get('width.weight')!.arraySync() as number[][])[Math.min(end - start, c.numWidths - 1)] : [];
  return [...context, ...parts, ...width];
}

/** Compares every span of the batch with the naive loop; padding spans must be 0. */
function expectMatchesNaive(head: Ji2020SpanHead, fake: FakeEncoding, spanLists: [number, number][][], spans: tf.Tensor3D, spanMask: tf.Tensor2D): void {
  const reps = tf.tidy(() => head.embed(fake.enc, spans, spanMask, false).arraySync());
  spanLists.forEach((list, b) =>
    reps[b].forEach((rep, s) => {
      const expected = s < list.length ? naiveJiSpan(head, fake, b, list[s]) : new Array(head.outputDim).fill(0);
      expect(maxAbsDiff(rep, expected)).toBeLessThan(1e-5);
    }),
  );
}

describe('Ji2020SpanHead ("ji2020-span-head.v1")', () => {
  const lengths = [7, 4]; // sentence 1 has 3 padding words the attention must skip
  const dim = 4; // D
  const fake = fakeEncoding(lengths, dim, 11);
  const spanLists = randomSpans(lengths, [6, 3], 4, new Rng(12)); // sentence 1 padded with 3 masked spans
  spanLists[1].push([3, 4]); // a one-word span at the last real word
  const { spans, spanMask } = spansToTensor(spanLists); // [B=2, S=6, 2]
  const small: Ji2020SpanHeadConfig = { inputDim: dim, widthDim: 3, numWidths: 5, numHeads: 2, spanAttentionHiddenDims: [5], seed: 13 };

  afterAll(() => {
    disposeEncoding(fake);
    tf.dispose([spans, spanMask]);
  });

  it('has the paper defaults (width 50, multi-head x 8, dropout 0.2) and R_s = 4D + 50', () => {
    const head = new Ji2020SpanHead({ inputDim: 16 });
    expect(head.config()).toEqual({
      inputDim: 16,
      widthDim: 50,
      numWidths: 100,
      widthDropout: 0,
      useCls: false,
      initStd: 0.02,
      seed: 0,
      attention: 'multi-head',
      numHeads: 8,
      projectionDim: 16,
      projectionLayers: 2,
      attentionDropout: 0,
      spanAttentionHiddenDims: [500],
      dropout: 0.2,
      spanSpecific: true,
      sentenceLevel: true,
    });
    const c = head.config();
    expect([c.widthDim, c.numHeads, c.dropout, c.attention]).toEqual([
      JI2020_HYPERPARAMETERS.widthEmbeddingDim,
      JI2020_HYPERPARAMETERS.numHeads,
      JI2020_HYPERPARAMETERS.dropout,
      JI2020_HYPERPARAMETERS.attention,
    ]);
    expect([head.poolDim, head.relationDim, head.outputDim]).toEqual([64, 114, 114]);
    // MLP_k and the Q / K projections of the multi-head attention have two layers each (section 4.2).
    const names = [...head.parameters().keys()];
    expect(names.filter((n) => n.startsWith('spanAttention.') && n.endsWith('kernel'))).toEqual(['spanAttention.layers.0.kernel', 'spanAttention.layers.1.kernel']);
    expect(names.filter((n) => /^sentenceAttention\.(query|key)\.layers\.\d+\.kernel$/.test(n))).toEqual(['sentenceAttention.query.layers.0.kernel', 'sentenceAttention.key.layers.0.kernel']);
    head.dispose();
  });

  it('registers idempotently', () => {
    const target = new Registry();
    registerJi2020SpanHeads(target);
    registerJi2020SpanHeads(target);
    expect(target.names()).toEqual(['ji2020-span-head.v1']);
    expect(registry.has('ji2020-span-head.v1')).toBe(true); // importing the folder registered it globally
  });

  for (const attention of ATTENTION_VARIANTS) {
    it(`matches a naive per-span loop with ${attention} attention (masks, padding spans, one-word spans)`, () => {
      const head = registry.build<Ji2020SpanHead>('ji2020-span-head.v1', { ...small, attention });
      expectMatchesNaive(head, fake, spanLists, spans, spanMask);
      head.dispose();
    });
  }

  it('builds 1- and 3-layer Q / K projections (multi-head, dot-product) that match the naive loop', () => {
    for (const [attention, projectionLayers] of [['multi-head', 1], ['multi-head', 3], ['dot-product', 3]] as [AttentionVariant, number][]) {
      const head = registry.build<Ji2020SpanHead>('ji2020-span-head.v1', { ...small, attention, projectionLayers, projectionDim: 6 });
      expectMatchesNaive(head, fake, spanLists, spans, spanMask);
      head.dispose();
    }
  });

  it('builds every ablation from config with the documented size, and each matches the naive loop', () => {
    for (const spanSpecific of [true, false]) {
      for (const sentenceLevel of [true, false]) {
        const head = registry.build<Ji2020SpanHead>('ji2020-span-head.v1', { ...small, attention: 'additive', spanSpecific, sentenceLevel });
        const expectedDim = dim + (spanSpecific ? 3 * dim : dim) + 3; // [T_s | CLS; F_s; H_s | maxpool; W]
        expect([head.outputDim, head.relationDim]).toEqual([expectedDim, expectedDim]);
        const out = tf.tidy(() => head.embed(fake.enc, spans, spanMask, false).shape);
        expect(out).toEqual([2, 6, expectedDim]);
        expectMatchesNaive(head, fake, spanLists, spans, spanMask);
        const names = [...head.parameters().keys()];
        expect(names.some((n) => n.startsWith('spanAttention.'))).toBe(spanSpecific);
        expect(names.some((n) => n.startsWith('sentenceAttention.'))).toBe(sentenceLevel);
        expect(registry.build<Ji2020SpanHead>('ji2020-span-head.v1', head.config()).config()).toEqual(head.config());
        head.dispose();
      }
    }
  });

  it('appends [CLS] after the width embedding when useCls is set (outside relationDim)', () => {
    const head = new Ji2020SpanHead({ ...small, useCls: true });
    expect([head.relationDim, head.outputDim]).toEqual([4 * dim + 3, 5 * dim + 3]);
    const reps = tf.tidy(() => head.relationFeatures(head.embed(fake.enc, spans, spanMask, false)).arraySync());
    expect(maxAbsDiff(reps[0][0], naiveJiSpan(head, fake, 0, spanLists[0][0]))).toBeLessThan(1e-5);
    head.dispose();
  });

  it('applies dropout only while training', () => {
    const head = new Ji2020SpanHead({ ...small, dropout: 0.5, attentionDropout: 0.5 });
    const quiet = new Ji2020SpanHead({ ...small, dropout: 0, attentionDropout: 0 });
    tf.tidy(() => {
      const evalReps = head.embed(fake.enc, spans, spanMask, false).arraySync();
      expect(maxAbsDiff(head.embed(fake.enc, spans, spanMask, true).arraySync(), evalReps)).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(quiet.embed(fake.enc, spans, spanMask, true).arraySync(), evalReps)).toBe(0); // same seed -> same weights
    });
    head.dispose();
    quiet.dispose();
  });

  it('names bad config fields', () => {
    expect(() => new Ji2020SpanHead({ inputDim: 4 })).toThrow(/ji2020-span-head.v1: config.projectionDim \(4\) must be divisible by config.numHeads \(8\)/);
    expect(() => new Ji2020SpanHead({ ...small, attention: 'cosine' as never })).toThrow(/config.attention must be one of multi-head, additive, dot-product, general, got "cosine"/);
    expect(() => new Ji2020SpanHead({ ...small, spanSpecific: 'no' as never })).toThrow(/config.spanSpecific must be true or false/);
    expect(() => new Ji2020SpanHead({ ...small, heads: 2 } as never)).toThrow(/unknown config field\(s\) "heads"/);
  });

  it('has correct gradients w.r.t. the states, [CLS] and the attention weights', () => {
    const tiny = fakeEncoding([4, 3], 2, 14);
    const { spans: s, spanMask: m } = spansToTensor([[[0, 3], [1, 2], [2, 4]], [[0, 2]]]);
    const head = new Ji2020SpanHead({ inputDim: 2, widthDim: 2, numWidths: 4, numHeads: 2, spanAttentionHiddenDims: [3], seed: 15 });
    checkGradients((hidden, cls) => head.embed({ ...tiny.enc, hidden: hidden as tf.Tensor3D, cls: cls as tf.Tensor2D }, s, m, false), [tiny.enc.hidden, tiny.enc.cls], {
      eps: 1e-3,
      tol: 2e-2,
    });
    const params = head.parameters();
    checkVariableGradients(
      () => head.embed(tiny.enc, s, m, false),
      ['spanAttention.layers.1.kernel', 'sentenceAttention.key.layers.0.kernel', 'sentenceAttention.attention.query.kernel'].map((n) => params.get(n)!),
      { eps: 1e-3, tol: 2e-2 },
    );
    tf.dispose([s, m]);
    disposeEncoding(tiny);
    head.dispose();
  });

  it('leaks no tensor', () => {
    for (const attention of ATTENTION_VARIANTS) {
      const head = new Ji2020SpanHead({ ...small, attention });
      expectNoLeak(() => head.embed(fake.enc, spans, spanMask, true));
      expectNoLeak(() => head.embed(fake.enc, spans, spanMask, false));
      head.dispose();
    }
    const ablated = new Ji2020SpanHead({ ...small, spanSpecific: false, sentenceLevel: false });
    expectNoLeak(() => ablated.embed(fake.enc, spans, spanMask, false));
    ablated.dispose();
  });
});
