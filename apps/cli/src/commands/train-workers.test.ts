import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { runCaptured } from '../testing/capture-io.js';
import { TRAIN_SNAPSHOT_DIR, trainWorkersFlag } from '../training-workers.js';
import { trainCommand } from './train.js';

// The gradient workers run @spanrel/joint's build (dist/gradient-worker.js): `pnpm build` before `vitest`.
const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-train-workers-'));
const paths = { train: join(dir, 'train.json'), dev: join(dir, 'dev.json'), types: join(dir, 'types.json'), config: join(dir, 'tiny.json') };
const args = (out: string, workers: string) =>
  ['--preset', 'spert', '--config', paths.config, '--train', paths.train, '--dev', paths.dev, '--types', paths.types, '--out', out, '--backend', 'wasm', '--train-workers', workers];

beforeAll(() => {
  const corpus = syntheticCorpus(16, createRng(8), 'cli');
  writeDocuments(paths.train, corpus.slice(0, 12));
  writeDocuments(paths.dev, corpus.slice(12));
  writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
  // Tiny dimensions, dropout off: the run on 2 threads must give the run on one thread's numbers.
  const tiny = {
    encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1, embeddingDropout: 0, lstmDropout: 0 } },
    spanHead: { config: { widthDim: 4 } },
    entityClassifier: { config: { dropout: 0 } },
    relationHead: { config: { dropout: 0 } },
    training: { epochs: 1, batchSize: 4, sampling: { negativeEntities: 10, negativeRelations: 10 }, optimizer: { lr: { peakLr: 0.01 } } },
  };
  writeFileSync(paths.config, JSON.stringify(tiny));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spanrel train --train-workers', () => {
  it('trains on gradient workers with the losses of one thread, and removes their model snapshot', { timeout: 900_000 }, async () => {
    const one = await runCaptured(trainCommand, args(join(dir, 'one'), '0'));
    expect(one.code).toBe(0);
    const two = await runCaptured(trainCommand, args(join(dir, 'two'), '1'));
    expect(two.stderr).not.toMatch(/Error/);
    expect(two.code).toBe(0);
    expect(two.stderr).toMatch(/batches of 2 or more sentences on 2 threads \(--train-workers 1\)/);
    expect(existsSync(join(dir, 'two', TRAIN_SNAPSHOT_DIR))).toBe(false);
    const loss = (out: string) => JSON.parse(readFileSync(join(dir, out, 'train-log.jsonl'), 'utf8').trim()).loss as number;
    expect(loss('two')).toBeCloseTo(loss('one'), 5);
  });

  it('checks the flag', () => {
    expect(trainWorkersFlag({})).toBe(0);
    expect(trainWorkersFlag({ 'train-workers': '3' })).toBe(3);
    expect(() => trainWorkersFlag({ 'train-workers': '-1' })).toThrow(/--train-workers must be an integer >= 0 or "auto", got "-1"/);
  });
});
