/**
 * How a data-parallel training step cuts its batch: contiguous runs of
 * sentences, as even as possible (the larger ones first), one per thread that
 * has work; the samples stay those the calling thread drew for the whole batch.
 */
import type { TrainingBatch } from '../training/training-batch.js';

/** A contiguous run `[start, end)` of a batch's sentences. */
export interface BatchShard {
  /** 0-based position among the batch's shards. */
  index: number;
  start: number;
  end: number;
}

/**
 * `count` sentences cut into `min(count, threads)` contiguous shards whose sizes
 * differ by at most one, larger shards first.
 *
 * ```ts
 * batchShards(3, 2); // [0,2) [2,3)
 * batchShards(2, 4); // [0,1) [1,2)
 * ```
 */
export function batchShards(count: number, threads: number): BatchShard[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`batchShards: count must be an integer >= 0, got ${count}`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`batchShards: threads must be an integer >= 1, got ${threads}`);
  const n = Math.min(count, threads);
  const base = Math.floor(count / Math.max(n, 1));
  const extra = count - base * n;
  const shards: BatchShard[] = [];
  let start = 0;
  for (let index = 0; index < n; index++) {
    const end = start + base + (index < extra ? 1 : 0);
    shards.push({ index, start, end });
    start = end;
  }
  return shards;
}

/** The sentences `[start, end)` of a batch with their samples (arrays sliced, not copied deeply). */
export function sliceBatch(batch: TrainingBatch, start: number, end: number): TrainingBatch {
  if (batch.kind === 'sampled') {
    return {
      kind: 'sampled',
      tokens: batch.tokens.slice(start, end),
      entitySpans: batch.entitySpans.slice(start, end),
      entityLabels: batch.entityLabels.slice(start, end),
      relationPairs: batch.relationPairs.slice(start, end),
      relationTypes: batch.relationTypes.slice(start, end),
    };
  }
  return {
    kind: 'all-spans',
    tokens: batch.tokens.slice(start, end),
    spans: batch.spans.slice(start, end),
    labels: batch.labels.slice(start, end),
    goldSpans: batch.goldSpans.slice(start, end),
    goldRelations: batch.goldRelations.slice(start, end),
  };
}

/** How errors name a shard: `shard 2/3 (sentences 3-4 of the batch)`. */
export function describeShard(shard: BatchShard, shards: number): string {
  return `shard ${shard.index + 1}/${shards} (sentence${shard.end - shard.start > 1 ? `s ${shard.start + 1}-${shard.end}` : ` ${shard.start + 1}`} of the batch)`;
}
