import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from './demo/synthetic-corpus.js';
import { evalCommand } from './commands/eval.js';
import { trainCommand } from './commands/train.js';
import { DEV_SNAPSHOT_DIR, MIN_SENTENCES_FOR_WORKERS } from './prediction-workers.js';
import { runCaptured } from './testing/capture-io.js';

// The worker threads run @spanrel/joint's build (dist/predict-worker.js): `pnpm test` builds first.
const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-workers-'));
const file = (name: string) => join(dir, name);
const corpus = syntheticCorpus(110, createRng(8), 'workers');

beforeAll(() => {
  writeDocuments(file('train.json'), corpus.slice(0, 40));
  writeDocuments(file('dev.json'), corpus.slice(40)); // 70 sentences: enough for the workers
  writeTypeSchema(file('types.json'), SYNTHETIC_SCHEMA);
  const tiny = {
    encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
    spanHead: { config: { widthDim: 4 } },
    training: { epochs: 2, batchSize: 8, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.01 } } },
  };
  writeFileSync(file('tiny.json'), JSON.stringify(tiny));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('--workers: train scores dev, and eval predicts, on worker threads the same as on one thread', async () => {
  expect(corpus.length - 40).toBeGreaterThanOrEqual(MIN_SENTENCES_FOR_WORKERS);
  const common = ['--preset', 'spert', '--config', file('tiny.json'), '--train', file('train.json'), '--dev', file('dev.json'), '--types', file('types.json'), '--backend', 'wasm'];
  const one = await runCaptured(trainCommand, [...common, '--out', file('one'), '--workers', '0']);
  const two = await runCaptured(trainCommand, [...common, '--out', file('two'), '--workers', '1']);
  expect(one.code, one.stderr).toBe(0);
  expect(two.code, two.stderr).toBe(0);
  const log = (run: string) => readFileSync(join(file(run), 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).dev);
  expect(log('two')).toEqual(log('one')); // same training, same dev scores: the workers saw the epoch's model
  expect(existsSync(join(file('two'), DEV_SNAPSHOT_DIR))).toBe(false);

  const evalArgs = (workers: string, pred: string) => ['--model', file('two'), '--data', file('dev.json'), '--json', '--pred', file(pred), '--backend', 'wasm', '--workers', workers];
  const alone = await runCaptured(evalCommand, evalArgs('0', 'alone.json'));
  const sharded = await runCaptured(evalCommand, evalArgs('1', 'sharded.json'));
  expect(sharded.code, sharded.stderr).toBe(0);
  expect(sharded.stderr).toMatch(/predicting \(2 threads\)/);
  expect(alone.stderr).not.toMatch(/threads\)/);
  expect(sharded.stdout).toBe(alone.stdout);
  expect(readFileSync(file('sharded.json'), 'utf8')).toBe(readFileSync(file('alone.json'), 'utf8'));

  const bad = await runCaptured(evalCommand, evalArgs('1.5', 'x.json'));
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(/--workers must be an integer >= 0, got "1.5"/);
}, 120_000);
