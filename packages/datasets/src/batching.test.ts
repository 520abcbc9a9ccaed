import { describe, expect, it } from 'vitest';
import { batchByTokenBudget, bucketByLength, chunk, makeBatches, shuffled, sortByLength } from './batching.js';

const len = (s: string) => s.length;
const words = ['aaaa', 'b', 'cc', 'ddd', 'e', 'ffffff', 'gg', 'hhhhh', 'i', 'jjj'];

describe('batching helpers', () => {
  it('chunks in order with a short last batch', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });

  it('sorts by length stably', () => {
    expect(sortByLength(words, len)).toEqual(['b', 'e', 'i', 'cc', 'gg', 'ddd', 'jjj', 'aaaa', 'hhhhh', 'ffffff']);
    expect(sortByLength(words, len, true).slice(0, 2)).toEqual(['ffffff', 'hhhhh']);
  });

  it('buckets by length boundaries', () => {
    expect(bucketByLength(words, len, [1, 3])).toEqual([
      ['b', 'e', 'i'],
      ['cc', 'ddd', 'gg', 'jjj'],
      ['aaaa', 'ffffff', 'hhhhh'],
    ]);
    expect(() => bucketByLength(words, len, [3, 3])).toThrow(RangeError);
  });

  it('shuffles reproducibly, without changing the input', () => {
    const copy = [...words];
    const a = shuffled(words, 5);
    expect(words).toEqual(copy);
    expect(shuffled(words, 5)).toEqual(a);
    expect([...a].sort()).toEqual([...words].sort());
  });
});

describe('makeBatches', () => {
  it('keeps every item once, and batches in order without shuffling', () => {
    expect(makeBatches(words, len, { batchSize: 4 })).toEqual(chunk(words, 4));
    const b = makeBatches(words, len, { batchSize: 3, shuffle: true, seed: 2, sortWindow: 2 });
    expect(b.flat().sort()).toEqual([...words].sort());
    expect(makeBatches(words, len, { batchSize: 3, shuffle: true, seed: 2, sortWindow: 2 })).toEqual(b);
  });

  it('groups similar lengths with a full sort window', () => {
    const batches = makeBatches(words, len, { batchSize: 5, sortWindow: Infinity });
    expect(batches).toEqual([
      ['b', 'e', 'i', 'cc', 'gg'],
      ['ddd', 'jjj', 'aaaa', 'hhhhh', 'ffffff'],
    ]);
  });

  it('drops the last short batch only when asked', () => {
    expect(makeBatches(words, len, { batchSize: 4, dropLast: true })).toHaveLength(2);
    expect(makeBatches(words, len, { batchSize: 4 })).toHaveLength(3);
  });
});

describe('batchByTokenBudget', () => {
  it('keeps batch x longest within the budget, and never drops an over-long item', () => {
    const items = sortByLength(words, len);
    const batches = batchByTokenBudget(items, len, 8);
    expect(batches.flat()).toEqual(items);
    for (const b of batches) {
      const cost = b.length * Math.max(...b.map(len));
      expect(b.length === 1 || cost <= 8).toBe(true);
    }
    expect(batchByTokenBudget(['xxxxxxxxxxxx', 'y'], len, 4)).toEqual([['xxxxxxxxxxxx'], ['y']]);
    expect(batchByTokenBudget(['a', 'b', 'c'], len, 100, 2)).toEqual([['a', 'b'], ['c']]);
  });
});
