import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DixitRelationHead, allPairs, decodeSoftmax, disposePairBatch, pairsToBatch } from './index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveMlp, naiveSoftmax, randomSpans, spanTensors } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('DixitRelationHead ("dixit-relation-head.v1")', () => {
  const lengths = [8, 5];
  const fake = fakeEncoding(lengths, 3, 1);
  const spanLists = randomSpans(lengths, [4, 2], 3, new Rng(2));
  const { spans, spanMask } = spanTensors(spanLists); // K = 4
  const reps = randomTensor([2, 4, 5], 3) as tf.Tensor3D; // [B, K, Ds]
  const pairs = allPairs(spans, spanMask, 8); // P = 12
  const head = registry.build<DixitRelationHead>('dixit-relation-head.v1', { spanDim: 5, contextDim: 3, numTypes: 2, hiddenDims: [6, 4], seed: 4 });

  afterAll(() => {
    disposeEncoding(fake);
    disposePairBatch(pairs);
    tf.dispose([spans, spanMask, reps]);
    head.dispose();
  });

  it('has the paper defaults: MLP 2 x 500 ReLU, dropout 0.2, none + R classes', () => {
    expect(new DixitRelationHead({ spanDim: 5, contextDim: 3, numTypes: 6 }).config()).toEqual({
      spanDim: 5,
      contextDim: 3,
      numTypes: 6,
      maxPairs: 1000,
      seed: 0,
      hiddenDims: [500, 500],
      dropout: 0.2,
      activation: 'relu',
    });
    expect(head.outputDim).toBe(3);
    expect(head.parameters().get('mlp.layers.0.kernel')!.shape).toEqual([15, 6]);
  });

  it('matches a naive MLP over [g_i; g_j; g_i * g_j] per ordered pair; padding pairs give 0', () => {
    const logits = tf.tidy(() => head.score(fake.enc, reps, pairs, false).arraySync());
    const repValues = reps.arraySync();
    const real = pairs.pairMask.arraySync();
    const params = head.parameters();
    pairs.pairs.arraySync().forEach((row, b) =>
      row.forEach(([i, j], p) => {
        if (!real[b][p]) return expect(logits[b][p]).toEqual([0, 0, 0]);
        const [gi, gj] = [repValues[b][i], repValues[b][j]];
        expect(maxAbsDiff(logits[b][p], naiveMlp(params, 'mlp.', [...gi, ...gj, ...gi.map((v, d) => v * gj[d])]))).toBeLessThan(1e-5);
      }),
    );
    // Order-sensitive: (i, j) and (j, i) differ.
    expect(maxAbsDiff(logits[0][0], logits[0][3])).toBeGreaterThan(1e-6);
  });

  it('takes another hidden activation (gelu: a naive erf-GELU MLP per pair) and keeps it in its config', () => {
    const gelu = registry.build<DixitRelationHead>('dixit-relation-head.v1', { spanDim: 5, contextDim: 3, numTypes: 2, hiddenDims: [6, 4], seed: 4, activation: 'gelu' });
    expect(gelu.config().activation).toBe('gelu');
    const logits = tf.tidy(() => gelu.score(fake.enc, reps, pairs, false).arraySync());
    const repValues = reps.arraySync();
    const real = pairs.pairMask.arraySync();
    // GELU(x) = x * Phi(x); erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7).
    const erf = (x: number) => {
      const t = 1 / (1 + 0.3275911 * Math.abs(x));
      const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
      return x < 0 ? -y : y;
    };
    const naiveGelu = (x: number) => 0.5 * x * (1 + erf(x / Math.SQRT2));
    let checked = 0;
    pairs.pairs.arraySync().forEach((row, b) =>
      row.forEach(([i, j], p) => {
        if (!real[b][p]) return;
        const [gi, gj] = [repValues[b][i], repValues[b][j]];
        expect(maxAbsDiff(logits[b][p], naiveMlp(gelu.parameters(), 'mlp.', [...gi, ...gj, ...gi.map((v, d) => v * gj[d])], naiveGelu))).toBeLessThan(1e-5);
        checked++;
      }),
    );
    expect(checked).toBeGreaterThan(0);
    gelu.dispose();
  });

  it('does not read the context mask: pairs built without it (zeros) score the same, chunked too', () => {
    expect(head.readsContext).toBe(false);
    const without = allPairs(spans, spanMask, 8, { context: false });
    try {
      expect(without.contextMask.shape).toEqual(pairs.contextMask.shape);
      expect(tf.max(without.contextMask).arraySync()).toBe(0);
      expect(tf.max(pairs.contextMask).arraySync()).toBe(1); // the real mask has words between some pairs
      expect(without.pairs.arraySync()).toEqual(pairs.pairs.arraySync());
      expect(without.pairMask.arraySync()).toEqual(pairs.pairMask.arraySync());
      const chunked = new DixitRelationHead({ ...head.config(), maxPairs: 5 });
      tf.tidy(() => {
        const expected = head.score(fake.enc, reps, pairs, false).arraySync();
        expect(head.score(fake.enc, reps, without, false).arraySync()).toEqual(expected);
        expect(maxAbsDiff(chunked.score(fake.enc, reps, without, false).arraySync(), expected)).toBeLessThan(1e-6);
      });
      chunked.dispose();
    } finally {
      disposePairBatch(without);
    }
  });

  it('scores in chunks with the same result and leaks nothing', () => {
    const chunked = new DixitRelationHead({ ...head.config(), maxPairs: 5 });
    tf.tidy(() => {
      expect(maxAbsDiff(chunked.score(fake.enc, reps, pairs, false).arraySync(), head.score(fake.enc, reps, pairs, false).arraySync())).toBeLessThan(1e-6);
    });
    expectNoLeak(() => chunked.score(fake.enc, reps, pairs, true));
    chunked.dispose();
  });

  it('predicts the argmax class of each real pair, none giving no relation', () => {
    const logits = tf.tidy(() => head.score(fake.enc, reps, pairs, false));
    const real = pairs.pairMask.arraySync();
    const pairList = pairs.pairs.arraySync();
    const expected = logits.arraySync().map((row, b) =>
      row.flatMap((scores, p) => {
        const best = scores.indexOf(Math.max(...scores));
        return real[b][p] && best !== 0 ? [{ pair: p, head: pairList[b][p][0], tail: pairList[b][p][1], type: best - 1, score: naiveSoftmax(scores)[best] }] : [];
      }),
    );
    const predicted = head.predict(logits, pairs);
    expect(predicted.map((l) => l.length)).toEqual(expected.map((l) => l.length));
    predicted.forEach((list, b) => list.forEach((r, k) => expect(maxAbsDiff(Object.values(r), Object.values(expected[b][k]))).toBeLessThan(1e-6)));
    logits.dispose();
    const batch = pairsToBatch(spans, [[[0, 1], [1, 0], [2, 3]], []], 8);
    const handMade = tf.tensor3d([[[2, 2, 0], [0, 1, 3], [0, 4, 1]], [[0, 9, 0], [0, 9, 0], [0, 9, 0]]]); // tie with none; type 1; type 0; padding
    expect(decodeSoftmax(handMade, batch).map((list) => list.map((r) => [r.pair, r.head, r.tail, r.type]))).toEqual([[[1, 1, 0, 1], [2, 2, 3, 0]], []]);
    disposePairBatch(batch);
    handMade.dispose();
  });

  it('has correct gradients w.r.t. the span representations', () => {
    const small = new DixitRelationHead({ spanDim: 2, contextDim: 3, numTypes: 2, hiddenDims: [5], seed: 8 });
    const smallReps = randomTensor([2, 4, 2], 9) as tf.Tensor3D;
    checkGradients((r) => small.score(fake.enc, r as tf.Tensor3D, pairs, false), [smallReps], { eps: 1e-3, tol: 2e-2 });
    smallReps.dispose();
    small.dispose();
  });
});
