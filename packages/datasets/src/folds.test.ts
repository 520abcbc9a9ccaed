import { describe, expect, it } from 'vitest';
import { kFoldIndices, kFoldSplits } from './folds.js';

describe('kFoldIndices', () => {
  it('gives disjoint test parts that cover everything, sizes within one', () => {
    for (const [n, k] of [
      [10, 10],
      [23, 5],
      [100, 3],
    ]) {
      const folds = kFoldIndices(n, k, 7);
      expect(folds).toHaveLength(k);
      const all = folds.flatMap((f) => f.test).sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
      const sizes = folds.map((f) => f.test.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      for (const f of folds) {
        expect(f.train.length + f.test.length).toBe(n);
        expect(f.train.filter((i) => f.test.includes(i))).toEqual([]);
      }
    }
  });

  it('is deterministic per seed and shuffled', () => {
    expect(kFoldIndices(50, 5, 1)).toEqual(kFoldIndices(50, 5, 1));
    expect(kFoldIndices(50, 5, 1)).not.toEqual(kFoldIndices(50, 5, 2));
    // Not simply contiguous blocks.
    expect(kFoldIndices(50, 5, 1)[0].test).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps groups together', () => {
    const groups = ['a', 'a', 'b', 'c', 'c', 'c', 'd', 'e', 'e', 'f'];
    const folds = kFoldIndices(groups.length, 3, 3, { groups });
    const foldOf = new Map<string, number>();
    folds.forEach((f, fi) =>
      f.test.forEach((i) => {
        const prev = foldOf.get(groups[i]);
        expect(prev === undefined || prev === fi).toBe(true);
        foldOf.set(groups[i], fi);
      }),
    );
    expect(folds.flatMap((f) => f.test).sort((a, b) => a - b)).toEqual(groups.map((_, i) => i));
  });

  it('rejects k < 2 or more folds than items', () => {
    expect(() => kFoldIndices(5, 1, 0)).toThrow(RangeError);
    expect(() => kFoldIndices(3, 4, 0)).toThrow(/more than the 3 items/);
  });
});

describe('kFoldSplits', () => {
  it('maps indices to items', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const folds = kFoldSplits(items, 5, 0);
    for (const f of folds) {
      expect(f.test).toHaveLength(1);
      expect([...f.train, ...f.test].sort()).toEqual(items);
    }
  });
});
