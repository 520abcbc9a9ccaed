import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Document } from '@spanrel/datasets';
import { initBackend } from '@spanrel/tensor-core';
import { train } from '../training/train.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { shardedDevPredictor } from './sharded-dev-predictor.js';

// The workers run the package's build (dist/predict-worker.js): `pnpm test` builds first.
const root = mkdtempSync(join(tmpdir(), 'spanrel-sharded-dev-'));
beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

it('train evaluates dev on worker threads: each epoch the workers get the model being trained', async () => {
  const snapshot = join(root, 'run', 'dev-snapshot');
  const sharded = shardedDevPredictor(snapshot, { workers: 1, chunkSize: 3 });
  const docs = tinyCorpus(16);
  const agree: boolean[] = [];
  const entities: number[] = [];
  const predictDev = async (model: Parameters<typeof sharded.predictDev>[0], dev: readonly Document[], stats: Parameters<typeof sharded.predictDev>[2]) => {
    const got = await sharded.predictDev(model, dev, stats);
    entities.push(got.reduce((n, d) => n + d.entities.length, 0));
    agree.push(JSON.stringify(got) === JSON.stringify(model.predict(dev))); // the model of this epoch, on this thread
    return got;
  };
  try {
    const result = await train({
      spec: tinySpec('dixit', { training: { epochs: 8 } }, { dropout: false }),
      schema: TINY_SCHEMA,
      train: docs,
      dev: docs.slice(0, 10), // sentences it is trained on: it predicts entities in them within a few epochs
      outDir: join(root, 'run'),
      predictDev,
    });
    expect(result.history.map((r) => r.dev !== null)).toEqual(Array(8).fill(true));
    result.model.dispose();
  } finally {
    await sharded.close();
  }
  expect(agree).toEqual(Array(8).fill(true));
  expect(entities.some((n) => n > 0)).toBe(true); // the predictions compared were not all empty
  expect(existsSync(snapshot)).toBe(false);
});
