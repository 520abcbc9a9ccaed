import * as tf from '@tensorflow/tfjs-core';
import { ATTENTION_VARIANTS, Registry, Rng, checkGradients, checkVariableGradients, expectNoLeak, initBackend, randomTensor, registry, type AttentionVariant } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPairs, disposePairBatch, type PairBatch } from '../index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveBetween, naiveSigmoid, randomSpans, spanTensors, type FakeEncoding } from '../test-support.js';
import { Ji2020RelationHead, registerJi2020RelationHeads, type Ji2020RelationHeadConfig } from './index.js';
import { ffn, naiveContextAttention } from '../../../span-heads/src/ji2020/test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Ji 2020's relation logits for one pair in plain JS: FFNN([H_r; FFNN_F(F_r); FFNN_T(T_r)]), or an ablation. */
function naiveJiRelation(head: Ji2020RelationHead, fake: FakeEncoding, length: number, b: number, reps: number[][], spans: [number, number][], [i, j]: [number, number]): number[] {
  const params = head.parameters();
  const c = head.config();
  const hidden = fake.hidden[b];
  const pairRep = [...ffn(params, 'spanFfn.', reps[i], true), ...ffn(params, 'spanFfn.', reps[j], true)]; // H_r
  const between = naiveBetween(spans[i], spans[j]).map((t) => hidden[t]); // B_c
  const local = c.local
    ? naiveContextAttention(params, 'localAttention.', c, pairRep, between, c.contextDim) // F_r, 0 when empty
    : hidden[0].map((_, d) => (between.length ? Math.max(...between.map((x) => x[d])) : 0)); // -local: max-pool, 0 when empty
  const parts = [...pairRep, ...ffn(params, 'localFfn.', local, true)];
  if (c.sentenceLevel) {
    const cls = (fake.enc.cls.arraySync() as number[][])[b];
    const sentence = naiveContextAttention(params, 'sentenceAttention.', c, pairRep, [cls, ...hidden.slice(0, length)], c.contextDim); // T_r
    parts.push(...ffn(params, 'sentenceFfn.', sentence, true));
  }
  return ffn(params, 'classifier.', parts, false);
}

describe('Ji2020RelationHead ("ji2020-relation-head.v1")', () => {
  const lengths = [9, 6]; // sentence 1 has 3 padding words
  const dim = 4; // D
  const spanDim = 5; // size of R_s
  const fake = fakeEncoding(lengths, dim, 21);
  const spanLists = randomSpans(lengths, [5, 3], 3, new Rng(22)); // K = 5; sentence 1 has 2 padding spans
  const { spans, spanMask } = spanTensors(spanLists);
  const reps = randomTensor([2, 5, spanDim], 23) as tf.Tensor3D; // [B, K, spanDim]
  const repValues = reps.arraySync();
  const pairs = allPairs(spans, spanMask, 9); // P = 20
  const small: Ji2020RelationHeadConfig = {
    spanDim,
    contextDim: dim,
    numTypes: 3,
    numHeads: 2,
    spanFfnDims: [5, 3],
    localFfnDims: [4, 3, 2],
    sentenceFfnDims: [3, 2, 2],
    classifierHiddenDims: [5],
    seed: 24,
  };

  afterAll(() => {
    disposeEncoding(fake);
    disposePairBatch(pairs);
    tf.dispose([spans, spanMask, reps]);
  });

  /** Every pair against the naive loop; padding pairs must give exactly-0 logits. Returns the count of real pairs with no word between. */
  function expectMatchesNaive(head: Ji2020RelationHead, batch: PairBatch = pairs): number {
    const logits = tf.tidy(() => head.score(fake.enc, reps, batch, false).arraySync());
    const pairList = batch.pairs.arraySync();
    const real = batch.pairMask.arraySync();
    let emptyContexts = 0;
    pairList.forEach((row, b) =>
      row.forEach((pair, p) => {
        if (!real[b][p]) return expect(logits[b][p]).toEqual(new Array(head.outputDim).fill(0));
        if (naiveBetween(spanLists[b][pair[0]], spanLists[b][pair[1]]).length === 0) emptyContexts++;
        const expected = naiveJiRelation(head, fake, lengths[b], b, repValues[b], spanLists[b], pair as [number, number]);
        expect(maxAbsDiff(logits[b][p], expected)).toBeLessThan(1e-5);
      }),
    );
    return emptyContexts;
  }

  it('has the paper defaults: FFNN_F / FFNN_T 3 layers, the others 2, multi-head x 8, dropout 0.2, sigmoid', () => {
    const head = new Ji2020RelationHead({ spanDim: 20, contextDim: 16, numTypes: 4 });
    expect(head.config()).toEqual({
      spanDim: 20,
      contextDim: 16,
      numTypes: 4,
      maxPairs: 1000,
      seed: 0,
      attention: 'multi-head',
      numHeads: 8,
      projectionDim: 16,
      projectionLayers: 2,
      attentionDropout: 0,
      spanFfnDims: [16, 8],
      localFfnDims: [16, 8, 4],
      sentenceFfnDims: [8, 4, 2],
      classifierHiddenDims: [8],
      dropout: 0.2,
      relationActivation: 'sigmoid',
      threshold: 0.4,
      local: true,
      sentenceLevel: true,
    });
    expect([head.inputDim, head.outputDim, head.representationDim]).toEqual([20, 4, 16 + 4 + 2]);
    const kernels = (prefix: string) => [...head.parameters().keys()].filter((n) => n.startsWith(prefix) && /^[a-zA-Z]+\.layers\.\d+\.kernel$/.test(n)).length;
    expect([kernels('spanFfn.'), kernels('localFfn.'), kernels('sentenceFfn.'), kernels('classifier.')]).toEqual([2, 3, 3, 2]);
    head.dispose();
  });

  it('registers idempotently', () => {
    const target = new Registry();
    registerJi2020RelationHeads(target);
    registerJi2020RelationHeads(target);
    expect(target.names()).toEqual(['ji2020-relation-head.v1']);
    expect(registry.has('ji2020-relation-head.v1')).toBe(true); // importing the folder registered it globally
  });

  for (const attention of ATTENTION_VARIANTS) {
    it(`matches a naive per-pair loop with ${attention} attention (empty contexts give F_r = 0, padding pairs 0)`, () => {
      const head = registry.build<Ji2020RelationHead>('ji2020-relation-head.v1', { ...small, attention });
      expect(expectMatchesNaive(head)).toBeGreaterThan(0); // the random spans include adjacent / overlapping pairs
      head.dispose();
    });
  }

  it('builds every ablation and activation from config with the documented sizes, and each matches the naive loop', () => {
    for (const local of [true, false]) {
      for (const sentenceLevel of [true, false]) {
        for (const relationActivation of ['sigmoid', 'softmax'] as const) {
          const head = registry.build<Ji2020RelationHead>('ji2020-relation-head.v1', { ...small, attention: 'dot-product', local, sentenceLevel, relationActivation });
          expect(head.representationDim).toBe(2 * 3 + 2 + (sentenceLevel ? 2 : 0)); // [H_r; FFNN_F(F_r); FFNN_T(T_r)]
          expect(head.outputDim).toBe(relationActivation === 'softmax' ? 4 : 3);
          expect(tf.tidy(() => head.score(fake.enc, reps, pairs, false).shape)).toEqual([2, 20, head.outputDim]);
          expectMatchesNaive(head);
          const names = [...head.parameters().keys()];
          expect(names.some((n) => n.startsWith('localAttention.'))).toBe(local);
          expect(names.some((n) => n.startsWith('sentenceAttention.') || n.startsWith('sentenceFfn.'))).toBe(sentenceLevel);
          expect(registry.build<Ji2020RelationHead>('ji2020-relation-head.v1', head.config()).config()).toEqual(head.config());
          head.dispose();
        }
      }
    }
  });

  it('scores in chunks of maxPairs with the same result, leaking nothing', () => {
    const whole = new Ji2020RelationHead(small);
    const expected = tf.tidy(() => whole.score(fake.enc, reps, pairs, false).arraySync());
    for (const maxPairs of [1, 3, 7]) {
      const chunked = registry.build<Ji2020RelationHead>('ji2020-relation-head.v1', { ...small, maxPairs });
      expect(maxAbsDiff(tf.tidy(() => chunked.score(fake.enc, reps, pairs, false).arraySync()), expected)).toBeLessThan(1e-6);
      expectNoLeak(() => chunked.score(fake.enc, reps, pairs, false));
      chunked.dispose();
    }
    whole.dispose();
  });

  it('decodes sigmoid logits with the threshold and softmax logits with the argmax', () => {
    const sigmoidHead = new Ji2020RelationHead({ ...small, threshold: 0.5 });
    const softmaxHead = new Ji2020RelationHead({ ...small, relationActivation: 'softmax' });
    const pairList = pairs.pairs.arraySync();
    const real = pairs.pairMask.arraySync();
    const describe = (list: { pair: number; head: number; tail: number; type: number }[][]) => list.map((l) => l.map((r) => [r.pair, r.head, r.tail, r.type]));

    const sigmoidLogits = tf.tidy(() => sigmoidHead.score(fake.enc, reps, pairs, false));
    const sigmoidExpected = sigmoidLogits.arraySync().map((row, b) =>
      row.flatMap((scores, p) => (real[b][p] ? scores.flatMap((x, r) => (naiveSigmoid(x) >= 0.5 ? [[p, pairList[b][p][0], pairList[b][p][1], r]] : [])) : [])),
    );
    expect(describe(sigmoidHead.predict(sigmoidLogits, pairs))).toEqual(sigmoidExpected);

    const softmaxLogits = tf.tidy(() => softmaxHead.score(fake.enc, reps, pairs, false));
    const softmaxExpected = softmaxLogits.arraySync().map((row, b) =>
      row.flatMap((scores, p) => {
        const best = scores.indexOf(Math.max(...scores));
        return real[b][p] && best > 0 ? [[p, pairList[b][p][0], pairList[b][p][1], best - 1]] : [];
      }),
    );
    expect(describe(softmaxHead.predict(softmaxLogits, pairs))).toEqual(softmaxExpected);
    tf.dispose([sigmoidLogits, softmaxLogits]);
    sigmoidHead.dispose();
    softmaxHead.dispose();
  });

  it('applies dropout only while training', () => {
    const noisy = new Ji2020RelationHead({ ...small, dropout: 0.5 });
    const quiet = new Ji2020RelationHead({ ...small, dropout: 0 });
    tf.tidy(() => {
      const evalLogits = noisy.score(fake.enc, reps, pairs, false).arraySync();
      expect(maxAbsDiff(noisy.score(fake.enc, reps, pairs, true).arraySync(), evalLogits)).toBeGreaterThan(1e-4);
      expect(maxAbsDiff(quiet.score(fake.enc, reps, pairs, true).arraySync(), evalLogits)).toBe(0); // same seed -> same weights
    });
    noisy.dispose();
    quiet.dispose();
  });

  it('names bad config fields and inputs', () => {
    expect(() => new Ji2020RelationHead({ ...small, relationActivation: 'tanh' as never })).toThrow(/config.relationActivation must be "sigmoid" or "softmax", got "tanh"/);
    expect(() => new Ji2020RelationHead({ ...small, localFfnDims: [] })).toThrow(/config.localFfnDims must list at least one layer size/);
    expect(() => new Ji2020RelationHead({ ...small, numHeads: 3 })).toThrow(/ji2020-relation-head.v1: config.projectionDim \(4\) must be divisible by config.numHeads \(3\)/);
    expect(() => new Ji2020RelationHead({ ...small, threshold: 0 })).toThrow(/config.threshold must be a number in \(0, 1\)/);
    expect(() => new Ji2020RelationHead({ ...small, locals: false } as never)).toThrow(/unknown config field\(s\) "locals"/);
    const head = new Ji2020RelationHead(small);
    expect(() => head.score(fake.enc, tf.zeros([2, 5, 4]) as tf.Tensor3D, pairs, false)).toThrow(/spanReps must be \[B=2, K, spanDim=5\], got \[2, 5, 4\]/);
    head.dispose();
  });

  it('has correct gradients w.r.t. the states, [CLS], the span representations and the weights', () => {
    const tiny = fakeEncoding([7], 2, 25);
    const { spans: s, spanMask: m } = spanTensors([[[0, 1], [3, 5], [4, 5]]]); // apart, nested, adjacent
    const batch = allPairs(s, m, 7);
    const tinyReps = randomTensor([1, 3, 3], 26) as tf.Tensor3D;
    const head = new Ji2020RelationHead({
      spanDim: 3,
      contextDim: 2,
      numTypes: 2,
      numHeads: 2,
      spanFfnDims: [3, 2],
      localFfnDims: [3, 2, 2],
      sentenceFfnDims: [2, 2, 2],
      classifierHiddenDims: [3],
      seed: 27,
    });
    checkGradients(
      (hidden, cls, r) => head.score({ ...tiny.enc, hidden: hidden as tf.Tensor3D, cls: cls as tf.Tensor2D }, r as tf.Tensor3D, batch, false),
      [tiny.enc.hidden, tiny.enc.cls, tinyReps],
      { eps: 1e-3, tol: 2e-2 },
    );
    const params = head.parameters();
    checkVariableGradients(
      () => head.score(tiny.enc, tinyReps, batch, false),
      ['localAttention.attention.query.kernel', 'sentenceAttention.key.layers.0.kernel', 'spanFfn.layers.0.kernel'].map((n) => params.get(n)!),
      { eps: 1e-3, tol: 2e-2 },
    );
    disposePairBatch(batch);
    disposeEncoding(tiny);
    tf.dispose([s, m, tinyReps]);
    head.dispose();
  });

  it('leaks no tensor', () => {
    for (const attention of ATTENTION_VARIANTS as readonly AttentionVariant[]) {
      const head = new Ji2020RelationHead({ ...small, attention });
      expectNoLeak(() => head.score(fake.enc, reps, pairs, true));
      expectNoLeak(() => {
        const logits = head.score(fake.enc, reps, pairs, false);
        head.predict(logits, pairs);
        logits.dispose();
      });
      head.dispose();
    }
    const ablated = new Ji2020RelationHead({ ...small, local: false, sentenceLevel: false, relationActivation: 'softmax' });
    expectNoLeak(() => ablated.score(fake.enc, reps, pairs, true));
    ablated.dispose();
  });
});
