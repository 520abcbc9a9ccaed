import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DixitSpanHead, spansToTensor } from './index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveMlp, naiveSoftmax, randomSpans, type FakeEncoding } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Dixit's g_i for one span in plain JS: [x*_START; x*_END (inclusive); Σ β_t x_t; φ(width)]. */
function naiveDixit(head: DixitSpanHead, fake: FakeEncoding, b: number, [start, end]: [number, number], activation?: (v: number) => number): number[] {
  const params = head.parameters();
  const states = fake.hidden[b];
  const attended = (fake.wordVectors ?? fake.hidden)[b];
  const alphas = states.slice(start, end).map((x) => naiveMlp(params, 'attention.', x, activation)[0]);
  const betas = naiveSoftmax(alphas);
  const headWord = attended[0].map((_, e) => betas.reduce((acc, beta, k) => acc + beta * attended[start + k][e], 0));
  const table = params.get('width.weight')!.arraySync() as number[][];
  return [...states[start], ...states[end - 1], ...headWord, ...table[Math.min(end - start, table.length - 1)]];
}

describe('DixitSpanHead ("dixit-span-head.v1")', () => {
  const lengths = [8, 5];
  const dim = 4;
  const withVectors = fakeEncoding(lengths, dim, 1, 3); // E = 3 fixed word vectors
  const statesOnly = fakeEncoding(lengths, dim, 2);
  const spanLists = randomSpans(lengths, [7, 4], 4, new Rng(3));
  const { spans, spanMask } = spansToTensor(spanLists); // [B=2, S=7, 2]
  const config = { inputDim: dim, wordVectorDim: 3, attentionHiddenDims: [6, 5], seed: 4 };
  const head = registry.build<DixitSpanHead>('dixit-span-head.v1', config);

  afterAll(() => {
    disposeEncoding(withVectors);
    disposeEncoding(statesOnly);
    tf.dispose([spans, spanMask]);
    head.dispose();
  });

  it('has the paper defaults and dims [2D + E + 20]', () => {
    expect(head.config()).toEqual({
      inputDim: dim,
      widthDim: 20,
      numWidths: 100,
      widthDropout: 0.2,
      useCls: false,
      initStd: 0.02,
      seed: 4,
      wordVectorDim: 3,
      attentionHiddenDims: [6, 5],
      attentionDropout: 0.2,
      attentionActivation: 'relu',
    });
    expect([head.outputDim, head.relationDim]).toEqual([2 * dim + 3 + 20, 2 * dim + 3 + 20]);
    expect(new DixitSpanHead({ inputDim: 8 }).config().attentionHiddenDims).toEqual([500, 500]);
  });

  it('matches a naive per-span loop over the fixed word vectors', () => {
    const reps = tf.tidy(() => head.embed(withVectors.enc, spans, spanMask, false).arraySync());
    spanLists.forEach((list, b) =>
      reps[b].forEach((rep, s) => {
        const expected = s < list.length ? naiveDixit(head, withVectors, b, list[s]) : new Array(head.outputDim).fill(0);
        expect(maxAbsDiff(rep, expected)).toBeLessThan(1e-5);
      }),
    );
  });

  it('attends over the word states when configured without word vectors', () => {
    const fallback = new DixitSpanHead({ ...config, wordVectorDim: null });
    expect(fallback.outputDim).toBe(3 * dim + 20);
    const reps = tf.tidy(() => fallback.embed(statesOnly.enc, spans, spanMask, false).arraySync());
    spanLists.forEach((list, b) => list.forEach((span, s) => expect(maxAbsDiff(reps[b][s], naiveDixit(fallback, statesOnly, b, span))).toBeLessThan(1e-5)));
    fallback.dispose();
  });

  it('scores the attention with another activation when configured (tanh: a naive tanh MLP_alpha)', () => {
    const smooth = new DixitSpanHead({ ...config, attentionActivation: 'tanh' });
    expect(smooth.config().attentionActivation).toBe('tanh');
    const reps = tf.tidy(() => smooth.embed(withVectors.enc, spans, spanMask, false).arraySync());
    let headWordMoved = 0;
    spanLists.forEach((list, b) =>
      list.forEach((span, s) => {
        expect(maxAbsDiff(reps[b][s], naiveDixit(smooth, withVectors, b, span, Math.tanh))).toBeLessThan(1e-5);
        headWordMoved = Math.max(headWordMoved, maxAbsDiff(naiveDixit(smooth, withVectors, b, span, Math.tanh), naiveDixit(smooth, withVectors, b, span)));
      }),
    );
    expect(headWordMoved).toBeGreaterThan(1e-4); // the ReLU MLP_alpha would attend differently
    expect(() => new DixitSpanHead({ ...config, attentionActivation: 'swish' as never })).toThrow(/dixit-span-head\.v1.*attentionActivation/);
    smooth.dispose();
  });

  it('names the problem when word vectors are missing or misshapen', () => {
    expect(() => head.embed(statesOnly.enc, spans, spanMask, false)).toThrow(/config.wordVectorDim is 3 but the encoder output has no wordVectors/);
    const wide = fakeEncoding(lengths, dim, 5, 4);
    expect(() => head.embed(wide.enc, spans, spanMask, false)).toThrow(/enc.wordVectors must be \[B=2, T=8, wordVectorDim=3\], got \[2, 8, 4\]/);
    disposeEncoding(wide);
  });

  it('applies dropout to the width embedding (and the attention MLP) only while training', () => {
    const noMlpDropout = new DixitSpanHead({ ...config, attentionDropout: 0, widthDropout: 0.5 });
    tf.tidy(() => {
      const evalReps = noMlpDropout.embed(withVectors.enc, spans, spanMask, false);
      const trainReps = noMlpDropout.embed(withVectors.enc, spans, spanMask, true);
      const features = 2 * dim + 3;
      // Span features unchanged; the width part is either dropped (0) or scaled by 1 / (1 - 0.5).
      expect(tf.slice(trainReps, [0, 0, 0], [-1, -1, features]).arraySync()).toEqual(tf.slice(evalReps, [0, 0, 0], [-1, -1, features]).arraySync());
      const widthEval = tf.slice(evalReps, [0, 0, features], [-1, -1, -1]).dataSync();
      const widthTrain = tf.slice(trainReps, [0, 0, features], [-1, -1, -1]).dataSync();
      const dropped = widthTrain.filter((v) => v === 0).length;
      widthTrain.forEach((v, i) => expect(v === 0 || Math.abs(v - 2 * widthEval[i]) < 1e-6).toBe(true));
      expect(dropped).toBeGreaterThan(widthTrain.length * 0.3);
    });
    noMlpDropout.dispose();
  });

  it('has correct gradients w.r.t. the states and the word vectors', () => {
    const small = new DixitSpanHead({ inputDim: 3, wordVectorDim: 2, attentionHiddenDims: [4], widthDim: 2, seed: 6 });
    const fake = fakeEncoding([4, 3], 3, 7, 2);
    const { spans: s, spanMask: m } = spansToTensor([[[0, 3], [1, 2], [2, 4]], [[0, 2], [1, 3]]]);
    checkGradients(
      (hidden, wordVectors) => small.embed({ ...fake.enc, hidden: hidden as tf.Tensor3D, wordVectors: wordVectors as tf.Tensor3D }, s, m, false),
      [fake.enc.hidden, fake.enc.wordVectors!],
      { eps: 1e-3, tol: 2e-2 },
    );
    tf.dispose([s, m]);
    disposeEncoding(fake);
    small.dispose();
  });

  it('leaks no tensor', () => {
    expectNoLeak(() => head.embed(withVectors.enc, spans, spanMask, true));
    expectNoLeak(() => head.embed(withVectors.enc, spans, spanMask, false));
  });
});
