import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPairs, disposePairBatch, relationBinaryCrossEntropy } from '../index.js';
import { disposeEncoding, fakeEncoding, maxAbsDiff, naiveBetween, naiveDense, naiveSigmoid, randomSpans, spanTensors } from '../test-support.js';
import { StsnRelationHead } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** STSN's logits for one pair in plain JS: linear([E_s1; E_s2; max-pool of the view between them (0 if none)]). */
function naiveStsn(head: StsnRelationHead, view: number[][], reps: number[][], spans: [number, number][], [i, j]: [number, number]): number[] {
  const between = naiveBetween(spans[i], spans[j]);
  const context = view[0].map((_, d) => (between.length ? Math.max(...between.map((t) => view[t][d])) : 0));
  const kernel = head.parameters().get('linear.kernel')!.arraySync() as number[][];
  const bias = head.parameters().get('linear.bias')!.arraySync() as number[];
  return naiveDense([...reps[i], ...reps[j], ...context], kernel, bias);
}

describe('StsnRelationHead ("stsn-relation-head.v1")', () => {
  const lengths = [9, 6];
  const viewDim = 5; // [H_R^N; label embedding]
  const spanDim = 3; // the span head's relationDim
  const relation = fakeEncoding(lengths, viewDim, 1); // the relation view as an encoder output
  const spanLists = randomSpans(lengths, [5, 3], 3, new Rng(2));
  const { spans, spanMask } = spanTensors(spanLists);
  const reps = randomTensor([2, 5, spanDim], 3) as tf.Tensor3D; // [B, K, Ds]
  const pairs = allPairs(spans, spanMask, 9);
  const head = registry.build<StsnRelationHead>('stsn-relation-head.v1', { spanDim, contextDim: viewDim, numTypes: 3, seed: 4 });
  // Non-zero biases, so a wrong layout of E_r cannot hide behind a zero term.
  head.parameters().get('linear.bias')!.assign(tf.tensor1d([0.3, -0.2, 0.1]));
  head.parameters().get('linear.kernel')!.assign(randomTensor([2 * spanDim + viewDim, 3], 5));

  afterAll(() => {
    disposeEncoding(relation);
    disposePairBatch(pairs);
    tf.dispose([spans, spanMask, reps]);
    head.dispose();
  });

  it('has the STSN defaults: threshold 0.4, R sigmoid logits over [E_s1; E_s2; C_r]', () => {
    expect(head.config()).toEqual({ spanDim, contextDim: viewDim, numTypes: 3, maxPairs: 1000, seed: 4, dropout: 0.1, threshold: 0.4, initStd: 0.02 });
    expect([head.inputDim, head.contextDim, head.outputDim]).toEqual([spanDim, viewDim, 3]);
    expect(head.parameters().get('linear.kernel')!.shape).toEqual([2 * spanDim + viewDim, 3]);
    const rebuilt = registry.build<StsnRelationHead>('stsn-relation-head.v1', head.config());
    expect(rebuilt.config()).toEqual(head.config());
    rebuilt.dispose();
  });

  it('matches a naive per-pair loop (context max-pooled from the view, 0 when empty); padding pairs give 0', () => {
    const logits = tf.tidy(() => head.score(relation.enc, reps, pairs, false).arraySync());
    const pairList = pairs.pairs.arraySync();
    const real = pairs.pairMask.arraySync();
    const repValues = reps.arraySync();
    let emptyContexts = 0;
    let checked = 0;
    pairList.forEach((row, b) =>
      row.forEach((pair, p) => {
        if (!real[b][p]) return expect(logits[b][p]).toEqual([0, 0, 0]);
        if (naiveBetween(spanLists[b][pair[0]], spanLists[b][pair[1]]).length === 0) emptyContexts++;
        checked++;
        expect(maxAbsDiff(logits[b][p], naiveStsn(head, relation.hidden[b], repValues[b], spanLists[b], pair as [number, number]))).toBeLessThan(1e-5);
      }),
    );
    expect([checked, emptyContexts > 0, emptyContexts < checked]).toEqual([20 + 6, true, true]);
  });

  it('scores in chunks with the same result, predicts types with sigmoid >= 0.4', () => {
    const chunked = new StsnRelationHead({ ...head.config(), maxPairs: 3 });
    for (const [name, v] of head.parameters()) chunked.parameters().get(name)!.assign(v);
    const logits = tf.tidy(() => head.score(relation.enc, reps, pairs, false));
    tf.tidy(() => {
      expect(maxAbsDiff(chunked.score(relation.enc, reps, pairs, false).arraySync(), logits.arraySync())).toBeLessThan(1e-6);
    });
    const values = logits.arraySync();
    const real = pairs.pairMask.arraySync();
    const expected = values.map((row, b) => row.flatMap((scores, p) => (real[b][p] ? scores.flatMap((x, r) => (naiveSigmoid(x) >= 0.4 ? [`${p}:${r}`] : [])) : [])));
    const predicted = head.predict(logits, pairs).map((list) => list.map((r) => `${r.pair}:${r.type}`));
    expect(predicted).toEqual(expected);
    expect(predicted.flat().length).toBeGreaterThan(0);
    expect(() => new StsnRelationHead({ spanDim, contextDim: viewDim, numTypes: 3, threshold: 0 })).toThrow(/config.threshold must be a number in \(0, 1\)/);
    logits.dispose();
    chunked.dispose();
  });

  it('has correct gradients w.r.t. the view and the span representations (through L_R)', () => {
    const small = fakeEncoding([7], 2, 6, true);
    const { spans: s, spanMask: m } = spanTensors([[[0, 1], [3, 5], [4, 5]]]); // apart, nested, adjacent
    const batch = allPairs(s, m, 7);
    const smallReps = randomTensor([1, 3, 2], 7) as tf.Tensor3D;
    const smallHead = new StsnRelationHead({ spanDim: 2, contextDim: 2, numTypes: 2, seed: 8 });
    const targets = tf.tensor3d([Array.from({ length: 6 }, (_, p) => [p % 2, p % 3 === 0 ? 1 : 0])]); // [1, P=6, R=2]
    checkGradients(
      (hidden, r) => relationBinaryCrossEntropy(smallHead.score({ ...small.enc, hidden: hidden as tf.Tensor3D }, r as tf.Tensor3D, batch, false), targets, batch.pairMask),
      [small.enc.hidden, smallReps],
      { eps: 1e-3 },
    );
    disposePairBatch(batch);
    disposeEncoding(small);
    tf.dispose([s, m, smallReps, targets]);
    smallHead.dispose();
  });

  it('applies dropout only while training and leaks no tensor', () => {
    tf.tidy(() => {
      expect(maxAbsDiff(head.score(relation.enc, reps, pairs, true).arraySync(), head.score(relation.enc, reps, pairs, false).arraySync())).toBeGreaterThan(1e-4);
    });
    expectNoLeak(() => head.score(relation.enc, reps, pairs, true));
    expectNoLeak(() => {
      const logits = head.score(relation.enc, reps, pairs, false);
      head.predict(logits, pairs);
      logits.dispose();
    });
  });
});
