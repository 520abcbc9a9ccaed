import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/capture-io.js';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { evaluate } from '@spanrel/eval';
import { loadModel, splitSentences } from '@spanrel/joint';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { evalCommand } from './eval.js';
import { predictCommand } from './predict.js';
import { trainCommand } from './train.js';


const run = runCaptured;

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-train-'));
const paths = {
  train: join(dir, 'train.json'),
  dev: join(dir, 'dev.json'),
  types: join(dir, 'types.json'),
  config: join(dir, 'tiny.json'),
  out: join(dir, 'run'),
};
const corpus = syntheticCorpus(48, createRng(4), 'cli');
const trainDocs = corpus.slice(0, 40);
const devDocs = corpus.slice(40);
const trainArgs = ['--preset', 'spert', '--config', paths.config, '--train', paths.train, '--dev', paths.dev, '--types', paths.types, '--out', paths.out, '--backend', 'cpu'];

beforeAll(() => {
  writeDocuments(paths.train, trainDocs);
  writeDocuments(paths.dev, devDocs);
  writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
  // Tiny dimensions so that the whole run takes seconds.
  const tiny = {
    encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
    spanHead: { config: { widthDim: 4 } },
    training: { epochs: 2, batchSize: 8, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.01 } } },
  };
  writeFileSync(paths.config, JSON.stringify(tiny));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spanrel train / eval / predict', () => {
  it('train writes the best model, a JSON log per epoch and progress on stderr', async () => {
    const r = await run(trainCommand, trainArgs);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^backend: cpu /m);
    expect(r.stderr).toMatch(/epoch 1\/2 .*5\/5 steps .*loss \d+\.\d{4} .*steps\/s/);
    expect(r.stdout).toMatch(/best model \(epoch \d\) in .*run\/model/);
    expect(existsSync(join(paths.out, 'model', 'weights.safetensors'))).toBe(true);
    const log = readFileSync(join(paths.out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(log.map((r) => [r.epoch, r.steps])).toEqual([[1, 5], [2, 5]]);
    expect(log[0].dev.ner.f1).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(readFileSync(join(paths.out, 'run.json'), 'utf8')).training.epochs).toBe(2);
  });

  it('train refuses to overwrite the run, and --resume of a finished run trains no further', async () => {
    const again = await run(trainCommand, trainArgs);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds a training run/);
    const resumed = await run(trainCommand, [...trainArgs, '--resume']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming at step 10 of 10/);
    expect(resumed.stderr).not.toMatch(/epoch 1\/2/);
  });

  it('eval scores the model on documents as an independent predict + evaluate does', async () => {
    const r = await run(evalCommand, ['--model', paths.out, '--data', paths.dev, '--json', '--backend', 'cpu', '--pred', join(dir, 'dev-pred.json')]);
    expect(r.code).toBe(0);
    const model = await loadModel(join(paths.out, 'model'));
    const expected = evaluate(devDocs, model.predict(devDocs), SYNTHETIC_SCHEMA);
    model.dispose();
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(existsSync(join(dir, 'dev-pred.json'))).toBe(true);
  });

  it('predict splits raw text into sentences and words and prints SpERT JSON', async () => {
    const text = 'Ada Brandt works for Kestrel Labs. She lives in Oslo.';
    const r = await run(predictCommand, ['--model', join(paths.out, 'model'), '--text', text, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout) as { tokens: string[]; entities: unknown[]; relations: unknown[] }[];
    expect(printed.map((d) => d.tokens)).toEqual([
      ['Ada', 'Brandt', 'works', 'for', 'Kestrel', 'Labs', '.'],
      ['She', 'lives', 'in', 'Oslo', '.'],
    ]);
    const model = await loadModel(join(paths.out, 'model'));
    const expected = model.predict(splitSentences(text).map((tokens, i) => ({ id: String(i), tokens })));
    model.dispose();
    expect(printed.map((d) => ({ entities: d.entities, relations: d.relations }))).toEqual(expected.map((d) => ({ entities: d.entities, relations: d.relations })));
  });

  it('predict reads a text file and writes the predictions to --out', async () => {
    const input = join(dir, 'input.txt');
    writeFileSync(input, 'Hugo Novak joined Northwind Bank.\n\nPrices rose sharply on Monday.');
    const out = join(dir, 'pred.json');
    const r = await run(predictCommand, ['--model', paths.out, '--input', input, '--out', out, '--backend', 'cpu']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^2 sentences: \d+ entities, \d+ relations; written to /);
    expect((JSON.parse(readFileSync(out, 'utf8')) as unknown[]).length).toBe(2);
  });

  it('reports usage errors and bad files clearly', async () => {
    const noPreset = await run(trainCommand, trainArgs.filter((a) => a !== '--preset' && a !== 'spert'));
    expect(noPreset.code).toBe(2);
    expect(noPreset.stderr).toMatch(/missing required option --preset/);
    const badPreset = await run(trainCommand, ['--preset', 'crf', ...trainArgs.slice(2)]);
    expect(badPreset.stderr).toMatch(/--preset must be one of spert, dixit/);
    const both = await run(predictCommand, ['--model', paths.out, '--text', 'x', '--input', 'y.txt']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/exactly one of --text and --input/);
    const badConfig = join(dir, 'bad.json');
    writeFileSync(badConfig, '{"training": {"epochs": 0}}');
    const bad = await run(trainCommand, ['--preset', 'dixit', '--config', badConfig, ...trainArgs.slice(4)]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json: training\.epochs must be an integer >= 1, got 0/);
    const noModel = await run(evalCommand, ['--model', dir, '--data', paths.dev, '--backend', 'cpu']);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/not a model folder/);
  });
});
