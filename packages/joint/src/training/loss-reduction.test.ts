import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@spanrel/tensor-core';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { reduceLoss, sampledBatchCounts, shardReduction, type BatchSampleCounts } from './loss-reduction.js';
import { trainingBatch } from './train.js';
import type { SampledBatch } from './training-batch.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

const COUNTS: BatchSampleCounts = { entitySamples: 8, goldEntities: 0, relationSamples: 3, goldRelations: 1, tokens: 12 };

describe('reduceLoss', () => {
  it("'mean' and 'sum' are the loss's own (the single-thread path); a batch mean divides the sum by the batch's count, at least 1", () => {
    const seen: string[] = [];
    const loss = (r: 'mean' | 'sum') => {
      seen.push(r);
      return tf.scalar(r === 'sum' ? 6 : 0.75);
    };
    expect(reduceLoss('mean', 'entitySamples', loss).dataSync()[0]).toBe(0.75);
    expect(reduceLoss('sum', 'entitySamples', loss).dataSync()[0]).toBe(6);
    expect(reduceLoss({ kind: 'batch-mean', counts: COUNTS }, 'entitySamples', loss).dataSync()[0]).toBe(0.75); // 6 / 8
    expect(reduceLoss({ kind: 'batch-mean', counts: COUNTS }, 'relationSamples', loss).dataSync()[0]).toBe(2); // 6 / 3
    expect(reduceLoss({ kind: 'batch-mean', counts: COUNTS }, 'goldEntities', loss).dataSync()[0]).toBe(6); // 6 / max(0, 1)
    expect(seen).toEqual(['mean', 'sum', 'sum', 'sum', 'sum']);
  });
});

describe('sampledBatchCounts / shardReduction', () => {
  it('counts the samples of a batch as a naive loop over its sentences does', () => {
    const spec = tinySpec('spert');
    const batch = trainingBatch(spec, TINY_SCHEMA, tinyCorpus(4, 2), 0, 0) as SampledBatch;
    const naive = { entitySamples: 0, goldEntities: 0, relationSamples: 0, goldRelations: 0, tokens: 0 };
    for (let b = 0; b < batch.tokens.length; b++) {
      naive.tokens += batch.tokens[b].length;
      for (const label of batch.entityLabels[b]) {
        naive.entitySamples += 1;
        if (label > 0) naive.goldEntities += 1;
      }
      for (const types of batch.relationTypes[b]) {
        naive.relationSamples += 1;
        if (types.length > 0) naive.goldRelations += 1;
      }
    }
    expect(sampledBatchCounts(batch)).toEqual(naive);
    expect(naive.goldRelations).toBeGreaterThan(0);
    expect(shardReduction(batch, 'mean')).toEqual({ kind: 'batch-mean', counts: naive });
    expect(shardReduction(batch, 'sum')).toBe('sum');
  });

  it("refuses to split an all-spans batch under 'mean' (its relation samples are chosen by the forward)", () => {
    const spec = tinySpec('dixit');
    const batch = trainingBatch(spec, TINY_SCHEMA, tinyCorpus(2), 0, 0);
    expect(shardReduction(batch, 'sum')).toBe('sum');
    expect(() => shardReduction(batch, 'mean')).toThrow(/all-spans batch with lossReduction "mean" cannot be split/);
  });
});
