import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpertRelationHead, allPairs, decodeMultiLabel, disposePairBatch, pairsToBatch } from './index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveBetween, naiveDense, naiveSigmoid, randomSpans, spanTensors } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** SpERT's logits for one pair in plain JS: linear([e(s1); maxpool(words between, 0 if none); e(s2)]). */
function naiveSpert(head: SpertRelationHead, hidden: number[][], reps: number[][], spans: [number, number][], [i, j]: [number, number]): number[] {
  const between = naiveBetween(spans[i], spans[j]);
  const context = hidden[0].map((_, d) => (between.length ? Math.max(...between.map((t) => hidden[t][d])) : 0));
  const kernel = head.parameters().get('linear.kernel')!.arraySync() as number[][];
  const bias = head.parameters().get('linear.bias')!.arraySync() as number[];
  return naiveDense([...reps[i], ...context, ...reps[j]], kernel, bias);
}

describe('SpertRelationHead ("spert-relation-head.v1")', () => {
  const lengths = [10, 6];
  const dim = 4; // D
  const spanDim = 3; // Ds
  const fake = fakeEncoding(lengths, dim, 1);
  const spanLists = randomSpans(lengths, [5, 3], 3, new Rng(2)); // K = 5; sentence 1 padded
  const { spans, spanMask } = spanTensors(spanLists);
  const reps = randomTensor([2, 5, spanDim], 3) as tf.Tensor3D; // [B, K, Ds]
  const pairs = allPairs(spans, spanMask, 10); // P = 20
  const head = registry.build<SpertRelationHead>('spert-relation-head.v1', { spanDim, contextDim: dim, numTypes: 3, seed: 4 });

  afterAll(() => {
    disposeEncoding(fake);
    disposePairBatch(pairs);
    tf.dispose([spans, spanMask, reps]);
    head.dispose();
  });

  it('has SpERT defaults: dropout 0.1, threshold 0.4, normal(0.02) kernel, R sigmoid logits', () => {
    expect(head.config()).toEqual({ spanDim, contextDim: dim, numTypes: 3, maxPairs: 1000, seed: 4, dropout: 0.1, threshold: 0.4, initStd: 0.02 });
    expect([head.inputDim, head.outputDim]).toEqual([spanDim, 3]);
    expect(head.parameters().get('linear.kernel')!.shape).toEqual([2 * spanDim + dim, 3]);
  });

  it('matches a naive per-pair loop (context max-pool, 0 when empty); padding pairs give 0', () => {
    const logits = tf.tidy(() => head.score(fake.enc, reps, pairs, false).arraySync());
    const pairList = pairs.pairs.arraySync();
    const real = pairs.pairMask.arraySync();
    const repValues = reps.arraySync();
    let emptyContexts = 0;
    pairList.forEach((row, b) =>
      row.forEach((pair, p) => {
        if (!real[b][p]) return expect(logits[b][p]).toEqual([0, 0, 0]);
        if (naiveBetween(spanLists[b][pair[0]], spanLists[b][pair[1]]).length === 0) emptyContexts++;
        expect(maxAbsDiff(logits[b][p], naiveSpert(head, fake.hidden[b], repValues[b], spanLists[b], pair as [number, number]))).toBeLessThan(1e-5);
      }),
    );
    expect(emptyContexts).toBeGreaterThan(0); // the random spans include adjacent / overlapping pairs
  });

  it('scores in chunks of maxPairs with the same result', () => {
    for (const maxPairs of [1, 3, 7]) {
      const chunked = registry.build<SpertRelationHead>('spert-relation-head.v1', { ...head.config(), maxPairs });
      tf.tidy(() => {
        expect(maxAbsDiff(chunked.score(fake.enc, reps, pairs, false).arraySync(), head.score(fake.enc, reps, pairs, false).arraySync())).toBeLessThan(1e-6);
      });
      expectNoLeak(() => chunked.score(fake.enc, reps, pairs, false));
      chunked.dispose();
    }
  });

  it('predicts every type with sigmoid >= 0.4, several per pair possible', () => {
    const logits = tf.tidy(() => head.score(fake.enc, reps, pairs, false));
    const values = logits.arraySync();
    const real = pairs.pairMask.arraySync();
    const pairList = pairs.pairs.arraySync();
    const expected = values.map((row, b) =>
      row.flatMap((scores, p) => (real[b][p] ? scores.flatMap((x, r) => (naiveSigmoid(x) >= 0.4 ? [{ pair: p, head: pairList[b][p][0], tail: pairList[b][p][1], type: r }] : [])) : [])),
    );
    const predicted = head.predict(logits, pairs);
    expect(predicted.map((list) => list.map(({ score: _, ...rest }) => rest))).toEqual(expected);
    expect(predicted[0].length).toBeGreaterThan(0);
    logits.dispose();
    // Hand-made logits around the threshold: sigmoid(-0.5) = 0.378 < 0.4 <= sigmoid(-0.4) = 0.401.
    const batch = pairsToBatch(spans, [[[0, 1], [1, 0]], [[2, 0]]], 10);
    const handMade = tf.tensor3d([[[-0.5, -0.4, 3], [-9, -9, -9]], [[0.1, -2, -0.41], [5, 5, 5]]]); // [B, P=2, R=3]; pair (1, 1) is padding
    expect(decodeMultiLabel(handMade, batch, 0.4).map((list) => list.map((r) => [r.pair, r.head, r.tail, r.type]))).toEqual([[[0, 0, 1, 1], [0, 0, 1, 2]], [[0, 2, 0, 0]]]);
    disposePairBatch(batch);
    handMade.dispose();
  });

  it('applies dropout only while training, rebuilds from config, checks its inputs', () => {
    const strong = new SpertRelationHead({ ...head.config(), dropout: 0.5 });
    tf.tidy(() => {
      expect(strong.score(fake.enc, reps, pairs, false).arraySync()).toEqual(head.score(fake.enc, reps, pairs, false).arraySync());
      expect(maxAbsDiff(strong.score(fake.enc, reps, pairs, true).arraySync(), head.score(fake.enc, reps, pairs, false).arraySync())).toBeGreaterThan(1e-4);
    });
    strong.dispose();
    expect(() => new SpertRelationHead({ spanDim, contextDim: dim, numTypes: 3, threshold: 1 })).toThrow(/config.threshold must be a number in \(0, 1\)/);
    expect(() => new SpertRelationHead({ spanDim, contextDim: dim, numTypes: 3, maxPair: 3 } as never)).toThrow(/unknown config field\(s\) "maxPair"/);
    expect(() => head.score(fake.enc, tf.zeros([2, 5, 4]) as tf.Tensor3D, pairs, false)).toThrow(/spanReps must be \[B=2, K, spanDim=3\], got \[2, 5, 4\]/);
    const fewSpans = tf.zeros([2, 2, spanDim]) as tf.Tensor3D;
    expect(() => head.score(fake.enc, fewSpans, pairs, false)).toThrow(/a real pair in pairs.pairs indexes a span outside \[0, K=2\)/);
    const wrongDim = new SpertRelationHead({ spanDim, contextDim: dim + 1, numTypes: 3 });
    expect(() => wrongDim.score(fake.enc, reps, pairs, false)).toThrow(/enc.hidden must be \[B, T, contextDim=5\], got \[2, 10, 4\]/);
    tf.dispose(fewSpans);
    wrongDim.dispose();
  });

  it('has correct gradients w.r.t. the states and the span representations', () => {
    const small = fakeEncoding([7], 2, 5, true);
    const { spans: s, spanMask: m } = spanTensors([[[0, 1], [3, 5], [4, 5]]]); // apart, nested, adjacent-to-start
    const batch = allPairs(s, m, 7);
    const smallReps = randomTensor([1, 3, 2], 6) as tf.Tensor3D;
    const smallHead = new SpertRelationHead({ spanDim: 2, contextDim: 2, numTypes: 2, seed: 7 });
    checkGradients((hidden, r) => smallHead.score({ ...small.enc, hidden: hidden as tf.Tensor3D }, r as tf.Tensor3D, batch, false), [small.enc.hidden, smallReps], { eps: 1e-3 });
    disposePairBatch(batch);
    disposeEncoding(small);
    tf.dispose([s, m, smallReps]);
    smallHead.dispose();
  });

  it('leaks no tensor', () => {
    expectNoLeak(() => head.score(fake.enc, reps, pairs, true));
    expectNoLeak(() => {
      const logits = head.score(fake.enc, reps, pairs, false);
      head.predict(logits, pairs);
      logits.dispose();
    });
  });
});
