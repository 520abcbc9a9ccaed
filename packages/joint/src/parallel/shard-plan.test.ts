import { describe, expect, it } from 'vitest';
import { chunkSentences } from './shard-plan.js';

describe('chunkSentences', () => {
  it('cuts [0, count) into contiguous chunks of at most chunkSize, at least one per thread', () => {
    for (const [count, size, threads] of [[10, 4, 2], [6, 32, 3], [1, 8, 4], [100, 7, 1], [33, 32, 2]] as const) {
      const chunks = chunkSentences(count, size, threads);
      // Together the chunks are 0, 1, ..., count - 1 in order, each once (a naive concatenation).
      const covered = chunks.flatMap((c) => Array.from({ length: c.end - c.start }, (_, i) => c.start + i));
      expect(covered).toEqual(Array.from({ length: count }, (_, i) => i));
      chunks.forEach((c, i) => expect(c.index).toBe(i));
      for (const c of chunks) expect(c.end - c.start).toBeLessThanOrEqual(size);
      expect(chunks.length).toBeGreaterThanOrEqual(Math.min(count, threads));
    }
    expect(chunkSentences(10, 4, 2).map((c) => [c.start, c.end])).toEqual([[0, 4], [4, 8], [8, 10]]);
    expect(chunkSentences(6, 32, 3).map((c) => [c.start, c.end])).toEqual([[0, 2], [2, 4], [4, 6]]);
    expect(chunkSentences(0, 4, 2)).toEqual([]);
  });

  it('refuses sizes that are not positive integers', () => {
    expect(() => chunkSentences(5, 0, 1)).toThrow(/chunkSize must be an integer >= 1, got 0/);
    expect(() => chunkSentences(5, 2, 0)).toThrow(/threads must be an integer >= 1, got 0/);
    expect(() => chunkSentences(-1, 2, 1)).toThrow(/count must be an integer >= 0/);
  });
});
