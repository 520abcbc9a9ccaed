import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeak, initBackend } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPairs, disposePairBatch, pairsToBatch } from './index.js';
import { naiveBetween, spanTensors } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const seqLen = 10;
/** Context mask row of a pair, from naiveBetween. */
const contextRow = (a: [number, number], b: [number, number]) => {
  const words = naiveBetween(a, b);
  return Array.from({ length: seqLen }, (_, t) => (words.includes(t) ? 1 : 0));
};

describe('allPairs', () => {
  // Sentence 0: 4 spans with an adjacent ([0,2) [2,3)) and a nested ([4,9) [5,6)) pair; sentence 1: 2 spans.
  const lists: [number, number][][] = [
    [[0, 2], [2, 3], [4, 9], [5, 6]],
    [[6, 8], [1, 3]],
  ];
  const { spans, spanMask } = spanTensors(lists); // [B=2, K=4, 2]

  it('enumerates every ordered pair i != j of real spans, as a naive double loop', () => {
    const batch = allPairs(spans, spanMask, seqLen);
    const pairs = batch.pairs.arraySync();
    const mask = batch.pairMask.arraySync();
    const context = batch.contextMask.arraySync();
    expect(batch.pairs.shape).toEqual([2, 12, 2]);
    lists.forEach((list, b) => {
      const expected: [number, number][] = [];
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) if (i !== j) expected.push([i, j]);
      expect(pairs[b]).toEqual(expected);
      expected.forEach(([i, j], p) => {
        const real = i < list.length && j < list.length;
        expect(mask[b][p]).toBe(real ? 1 : 0);
        expect(context[b][p]).toEqual(real ? contextRow(list[i], list[j]) : new Array(seqLen).fill(0));
      });
    });
    expect(batch.spans).toBe(spans);
    disposePairBatch(batch);
  });

  it('gives the context of adjacent, nested, overlapping and reversed pairs', () => {
    const batch = allPairs(spans, spanMask, seqLen);
    const context = batch.contextMask.arraySync()[0];
    const row = (i: number, j: number) => context[i * 3 + (j > i ? j - 1 : j)];
    const zeros = new Array(seqLen).fill(0);
    expect(row(0, 1)).toEqual(zeros); // adjacent [0,2) [2,3)
    expect(row(2, 3)).toEqual(zeros); // nested [4,9) ⊃ [5,6)
    expect(row(3, 2)).toEqual(zeros);
    expect(row(0, 2)).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0, 0]); // words 2, 3 between [0,2) and [4,9)
    expect(row(2, 0)).toEqual(row(0, 2)); // reversed: same context
    expect(row(1, 3)).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    disposePairBatch(batch);
    const overlapping = spanTensors([[[1, 4], [3, 6]]]);
    const ob = allPairs(overlapping.spans, overlapping.spanMask, seqLen);
    expect(ob.contextMask.arraySync()).toEqual([[zeros, zeros]]);
    disposePairBatch(ob);
    tf.dispose([overlapping.spans, overlapping.spanMask]);
  });

  it('gives one padding pair when there are fewer than two spans; leaks nothing', () => {
    const single = spanTensors([[[0, 1]], []]);
    const batch = allPairs(single.spans, single.spanMask, seqLen);
    expect([batch.pairs.arraySync(), batch.pairMask.arraySync()]).toEqual([[[[0, 0]], [[0, 0]]], [[0], [0]]]);
    disposePairBatch(batch);
    tf.dispose([single.spans, single.spanMask]);
    expectNoLeak(() => allPairs(spans, spanMask, seqLen));
    expect(() => allPairs(spans, tf.ones([2, 3]) as tf.Tensor2D, seqLen)).toThrow(/allPairs: spanMask must be \[B=2, K=4\], got \[2, 3\]/);
  });
});

describe('pairsToBatch', () => {
  it('packs sampled pairs with masked (0, 0) padding and their contexts', () => {
    const lists: [number, number][][] = [[[0, 2], [2, 3], [6, 9]], [[4, 5], [0, 1], [1, 2]]];
    const { spans } = spanTensors(lists);
    const pairLists: [number, number][][] = [[[0, 2], [2, 0], [0, 1]], [[1, 0]]];
    const batch = pairsToBatch(spans, pairLists, seqLen);
    expect(batch.pairs.arraySync()).toEqual([[[0, 2], [2, 0], [0, 1]], [[1, 0], [0, 0], [0, 0]]]);
    expect(batch.pairMask.arraySync()).toEqual([[1, 1, 1], [1, 0, 0]]);
    const context = batch.contextMask.arraySync();
    pairLists.forEach((list, b) => list.forEach(([i, j], p) => expect(context[b][p]).toEqual(contextRow(lists[b][i], lists[b][j]))));
    expect(context[1][1]).toEqual(new Array(seqLen).fill(0));
    disposePairBatch(batch);
    expect(() => pairsToBatch(spans, [[[0, 3]], []], seqLen)).toThrow(/pairsToBatch: pairLists\[0\]\[0\] = \[0,3\]: index 3 is not a span index in \[0, 3\)/);
    expectNoLeak(() => pairsToBatch(spans, [[], []], seqLen));
    spans.dispose();
  });
});
