import { describe, expect, it } from 'vitest';
import { MicroBatcher, type BatchInfo } from './micro-batcher.js';

/** A batcher whose batch function doubles numbers and records each batch it was given. */
function doubling(options: { maxWaitMs: number; maxBatchSize: number }) {
  const calls: number[][] = [];
  const infos: BatchInfo[] = [];
  const batcher = new MicroBatcher<number, number>(
    (items) => {
      calls.push([...items]);
      if (items.includes(-1)) throw new Error('no negative numbers');
      return items.map((x) => 2 * x);
    },
    options,
    (info) => infos.push(info),
  );
  return { batcher, calls, infos };
}

describe('MicroBatcher', () => {
  it('runs the requests of one wait in one batch and gives each its own slice', async () => {
    const { batcher, calls, infos } = doubling({ maxWaitMs: 5, maxBatchSize: 100 });
    const out = await Promise.all([batcher.submit([1, 2]), batcher.submit([3]), batcher.submit([4, 5, 6])]);
    expect(out).toEqual([[2, 4], [6], [8, 10, 12]]);
    expect(calls).toEqual([[1, 2, 3, 4, 5, 6]]);
    expect(infos.map((i) => [i.requests, i.items])).toEqual([[3, 6]]);
    expect([batcher.requests, batcher.batches]).toEqual([3, 1]);
  });

  it('starts a new batch when a request would overflow maxBatchSize, and runs a full batch without waiting', async () => {
    const { batcher, calls } = doubling({ maxWaitMs: 10_000, maxBatchSize: 4 });
    const started = Date.now();
    const out = await Promise.all([batcher.submit([1, 2, 3]), batcher.submit([4, 5]), batcher.submit([6, 7])]);
    expect(out).toEqual([[2, 4, 6], [8, 10], [12, 14]]);
    // [1,2,3] + [4,5] would be 5 > 4: [1,2,3] runs; [4,5] + [6,7] fills a batch of 4, which runs at once.
    expect(calls).toEqual([[1, 2, 3], [4, 5, 6, 7]]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a request larger than maxBatchSize is a batch of its own, never split', async () => {
    const { batcher, calls } = doubling({ maxWaitMs: 1, maxBatchSize: 2 });
    expect(await batcher.submit([1, 2, 3, 4, 5])).toEqual([2, 4, 6, 8, 10]);
    expect(calls).toEqual([[1, 2, 3, 4, 5]]);
  });

  it('a failing batch rejects its requests only; the next batch runs', async () => {
    const { batcher } = doubling({ maxWaitMs: 1, maxBatchSize: 100 });
    const failed = Promise.allSettled([batcher.submit([1]), batcher.submit([-1])]);
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(await batcher.submit([7])).toEqual([14]);
  });

  it('drain runs what is gathered now and waits for it; later requests wait for no others', async () => {
    const { batcher, calls } = doubling({ maxWaitMs: 60_000, maxBatchSize: 100 });
    const pending = batcher.submit([1, 2]);
    await batcher.drain();
    expect(calls).toEqual([[1, 2]]);
    expect(await pending).toEqual([2, 4]);
    expect(await batcher.submit([3])).toEqual([6]);
    expect(calls).toEqual([[1, 2], [3]]);
  });

  it('an empty request needs no batch', async () => {
    const { batcher, calls } = doubling({ maxWaitMs: 1, maxBatchSize: 4 });
    expect(await batcher.submit([])).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('a throwing onBatch hook loses no answer and stops no later batch', async () => {
    const batcher = new MicroBatcher<number, number>((items) => items.map((x) => x + 1), { maxWaitMs: 1, maxBatchSize: 10 }, () => {
      throw new Error('hook bug');
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      expect(await batcher.submit([1])).toEqual([2]);
      expect(await batcher.submit([2])).toEqual([3]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.filter((w) => /onBatch threw: hook bug/.test(w))).toHaveLength(2);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
