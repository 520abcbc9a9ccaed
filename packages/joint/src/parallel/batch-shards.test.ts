import { describe, expect, it } from 'vitest';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { trainingBatch } from '../training/train.js';
import { batchShards, describeShard, sliceBatch } from './batch-shards.js';

describe('batchShards', () => {
  it('cuts [0, count) into min(count, threads) contiguous shards, sizes within one of each other, larger first', () => {
    for (const [count, threads] of [[3, 2], [2, 4], [7, 3], [8, 8], [1, 2], [10, 1]] as const) {
      const shards = batchShards(count, threads);
      expect(shards.length).toBe(Math.min(count, threads));
      expect(shards.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i))).toEqual(Array.from({ length: count }, (_, i) => i));
      const sizes = shards.map((s) => s.end - s.start);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
      shards.forEach((s, i) => expect(s.index).toBe(i));
    }
    expect(batchShards(3, 2).map((s) => [s.start, s.end])).toEqual([[0, 2], [2, 3]]);
    expect(batchShards(0, 2)).toEqual([]);
    expect(() => batchShards(3, 0)).toThrow(/threads must be an integer >= 1, got 0/);
  });

  it('slices every per-sentence field of both batch kinds, and names a shard', () => {
    for (const preset of ['spert', 'dixit'] as const) {
      const batch = trainingBatch(tinySpec(preset), TINY_SCHEMA, tinyCorpus(3), 0, 0);
      const [first, second] = batchShards(3, 2).map((s) => sliceBatch(batch, s.start, s.end));
      for (const [key, value] of Object.entries(batch)) {
        if (key === 'kind') continue;
        expect([...(first as unknown as Record<string, unknown[]>)[key], ...(second as unknown as Record<string, unknown[]>)[key]]).toEqual(value);
      }
      expect(first.kind).toBe(batch.kind);
    }
    expect(describeShard({ index: 1, start: 2, end: 3 }, 2)).toBe('shard 2/2 (sentence 3 of the batch)');
    expect(describeShard({ index: 0, start: 0, end: 2 }, 2)).toBe('shard 1/2 (sentences 1-2 of the batch)');
  });
});
