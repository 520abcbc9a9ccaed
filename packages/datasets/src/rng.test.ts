import { describe, expect, it } from 'vitest';
import { createRng, mulberry32 } from './rng.js';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const take = (seed: number) => {
      const r = createRng(seed);
      return Array.from({ length: 5 }, () => r.next());
    };
    const a = take(42);
    expect(take(42)).toEqual(a);
    expect(take(43)).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keeps separate state per generator', () => {
    const a = mulberry32(5);
    const b = mulberry32(5);
    const first = a();
    a();
    expect(b()).toBe(first);
  });

  it('draws integers roughly uniformly', () => {
    const r = createRng(1);
    const counts = new Array(10).fill(0);
    const n = 20000;
    for (let i = 0; i < n; i++) counts[r.int(10)]++;
    // Chi-square with 9 degrees of freedom; 27.9 is the 0.1% critical value.
    const chi2 = counts.reduce((sum, c) => sum + (c - n / 10) ** 2 / (n / 10), 0);
    expect(chi2).toBeLessThan(27.9);
  });

  it('shuffles to a permutation and samples distinct indices', () => {
    const r = createRng(3);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = r.shuffleInPlace([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    const sample = r.sampleIndices(30, 12);
    expect(sample).toHaveLength(12);
    expect(new Set(sample).size).toBe(12);
    expect(sample.every((i) => i >= 0 && i < 30)).toBe(true);
    expect(r.sampleIndices(5, 10).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(r.sampleIndices(5, 0)).toEqual([]);
  });

  it('samples every index with equal probability', () => {
    const r = createRng(9);
    const counts = new Array(8).fill(0);
    const trials = 8000;
    for (let i = 0; i < trials; i++) for (const j of r.sampleIndices(8, 3)) counts[j]++;
    const expected = (trials * 3) / 8;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(24.3); // 7 dof, 0.1%
  });
});
