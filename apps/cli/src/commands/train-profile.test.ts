import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { buildModel, resolveSpec, saveModel } from '@spanrel/joint';
import { initBackend } from '@spanrel/tensor-core';
import { runCaptured as run } from '../testing/capture-io.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { evalCommand } from './eval.js';
import { trainCommand } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-profile-'));
const paths = { train: join(dir, 'train.json'), dev: join(dir, 'dev.json'), types: join(dir, 'types.json'), config: join(dir, 'tiny.json'), out: join(dir, 'run') };
const corpus = syntheticCorpus(24, createRng(4), 'cli');
const tiny = {
  encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
  spanHead: { config: { widthDim: 4 } },
  decodeBatchSize: 4,
  training: { epochs: 1, batchSize: 4, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.01 } } },
};

beforeAll(() => {
  writeDocuments(paths.train, corpus.slice(0, 16));
  writeDocuments(paths.dev, corpus.slice(16));
  writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
  writeFileSync(paths.config, JSON.stringify(tiny));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spanrel train --profile', () => {
  it('prints kernel time by kernel, calls per sentence and the time outside kernels, and writes nothing', async () => {
    const args = ['--preset', 'spert', '--config', paths.config, '--train', paths.train, '--dev', paths.dev, '--types', paths.types, '--backend', 'wasm'];
    const r = await run(trainCommand, [...args, '--profile', '--profile-steps', '2', '--profile-top', '5']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^profile of spert on the wasm backend/m);
    expect(r.stdout).toMatch(/^train: 8 sentences, wall [\d.]+ ms .*kernels [\d.]+ ms \([\d.]+%\) in \d+ calls \(\d+ per sentence\); outside kernels -?[\d.]+ ms/m);
    expect(r.stdout).toMatch(/^eval: 8 sentences, wall/m);
    expect(r.stdout.match(/^ {2}[A-Z][A-Za-z0-9]+ +[\d.]+ +[\d.]+ +\d+ +[\d.]+ +[\d.]+$/gm)).toHaveLength(10); // the top 5 kernels of train and of eval
    expect(r.stdout).toMatch(/^ {2}total +[\d.]+ +100\.0 +\d+/m);
    expect(r.stdout).toMatch(/^ {2}optimizer: wall [\d.]+ ms/m);
    expect(r.stdout).toMatch(/^without the profiler: train [\d.]+ ms/m);
    const bad = await run(trainCommand, [...args, '--profile', '--profile-steps', '0']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/--profile-steps must be a positive integer/);
  });
});

describe('spanrel eval and the span cap', () => {
  it('says when the cap was hit', async () => {
    await initBackend({ backend: 'cpu' });
    const model = await buildModel(resolveSpec('spert', { overrides: { ...tiny, entityOverlap: 'allow' } }), SYNTHETIC_SCHEMA, corpus.slice(0, 16));
    // Rig the classifier: `none` never wins, so every span is an entity.
    const bias = model.entityClassifier.parameters().get('linear.bias')!;
    const values = bias.bufferSync();
    for (let i = 0; i < bias.shape[0]; i++) values.set(i === 0 ? -30 : 0, i);
    bias.assign(values.toTensor());
    const modelDir = join(dir, 'rigged');
    await saveModel(model, modelDir);
    model.dispose();
    const r = await run(evalCommand, ['--model', modelDir, '--data', paths.dev, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/span cap hit in 8 of 8 sentences \(\d+ predicted entity spans dropped, at most \d+ kept per sentence\)/);
  });
});
