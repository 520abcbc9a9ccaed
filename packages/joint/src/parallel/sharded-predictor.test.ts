import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { initBackend } from '@spanrel/tensor-core';
import { emptyDecodeStats } from '../decoding/decode.js';
import { saveModel } from '../io/model-folder.js';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { defaultPredictWorkers, ShardedPredictor } from './sharded-predictor.js';

// The workers run the package's build (dist/predict-worker.js): `pnpm test` builds first.
const root = mkdtempSync(join(tmpdir(), 'spanrel-sharded-'));
let model: JointModel;
const dir = join(root, 'model');

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  model = await buildModel(tinySpec('spert', { maxSpanWidth: 4 }), TINY_SCHEMA, tinyCorpus(8));
  // Weights away from their initial values, so the predictions are not all empty.
  let seed = 7;
  for (const v of model.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed++)));
  await saveModel(model, dir);
});
afterAll(() => {
  model.dispose();
  rmSync(root, { recursive: true, force: true });
});

it('predicts on worker threads and the calling thread the documents model.predict gives, in input order', async () => {
  const sentences = tinyCorpus(45, 11).map((d, i) => ({ id: `s${i}`, tokens: d.tokens }));
  const expected = emptyDecodeStats();
  const alone = model.predict(sentences, { stats: expected });
  expect(alone.some((d) => d.entities.length > 0)).toBe(true);
  expect(alone.some((d) => d.relations.length > 0)).toBe(true);

  const predictor = await ShardedPredictor.start(dir, { workers: 2, chunkSize: 4 });
  try {
    expect(predictor.workers).toBe(2);
    const stats = emptyDecodeStats();
    const progress: number[] = [];
    const sharded = await predictor.predict(model, sentences, { stats, onProgress: (n) => progress.push(n) });
    expect(sharded).toEqual(alone);
    expect(stats).toEqual(expected);
    expect(progress.at(-1)).toBe(45);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.length).toBe(12); // ceil(45 / 4) chunks
    // Every thread took chunks (the calling thread yields between its chunks, the workers keep two in flight).
    const { caller, workers } = predictor.lastChunkCounts;
    expect(caller + workers[0] + workers[1]).toBe(12);
    expect(workers.every((n) => n > 0)).toBe(true);
    expect(caller).toBeGreaterThan(0);
    expect(await predictor.predict(model, [], {})).toEqual([]);
  } finally {
    await predictor.close();
  }
});

it('reloads a changed model folder, and says which worker failed and why', async () => {
  const predictor = await ShardedPredictor.start(dir, { workers: 1, chunkSize: 2 });
  try {
    const sentences = tinyCorpus(6, 5).map((d, i) => ({ id: String(i), tokens: d.tokens }));
    // Workers hold a different model than the caller after this (caller keeps `model`); reload brings them back in step.
    const other = await buildModel(tinySpec('spert', { maxSpanWidth: 4 }), TINY_SCHEMA, tinyCorpus(8));
    let seed = 50;
    for (const v of other.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed++)));
    const otherDir = join(root, 'other');
    await saveModel(other, otherDir);
    await predictor.load(otherDir);
    expect(await predictor.predict(other, sentences)).toEqual(other.predict(sentences));
    other.dispose();
    await expect(predictor.load(join(root, 'missing'))).rejects.toThrow(/prediction worker 1\/1: .*missing/);
  } finally {
    await predictor.close();
  }
  await expect(ShardedPredictor.start(join(root, 'missing'), { workers: 1 })).rejects.toThrow(/prediction worker 1\/1/);
});

it('defaultPredictWorkers: one per further core on wasm, none for an encoder that infers on onnxruntime', () => {
  const cores = availableParallelism();
  const withPath = (path: string) => ({ encoder: { inferencePath: () => path } }) as unknown as JointModel;
  expect(defaultPredictWorkers()).toBe(Math.min(7, cores - 1));
  // A BiLSTM model: its encoder infers on onnxruntime when that loads (which threads itself), else on tfjs.
  const path = (model.encoder as { inferencePath?: () => string }).inferencePath?.();
  expect(path).toMatch(/^(onnxruntime|tfjs)$/);
  expect(defaultPredictWorkers(model)).toBe(path === 'onnxruntime' ? 0 : Math.min(7, cores - 1));
  expect(defaultPredictWorkers(withPath('tfjs'))).toBe(Math.min(7, cores - 1));
  expect(defaultPredictWorkers(withPath('onnxruntime'))).toBe(0);
});
