import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { captureIO } from '../testing/capture-io.js';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { evaluate } from '@spanrel/eval';
import { loadModel } from '@spanrel/joint';
import { parseCommandArgs, UsageError, type CliIO } from '../command.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { compareCommand, presetOverrides, type CompareReport } from './compare.js';

const capture = captureIO;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  let code: number;
  try {
    code = await compareCommand.run(parseCommandArgs(compareCommand, argv), io);
  } catch (error) {
    io.err((error as Error).message);
    code = error instanceof UsageError ? 2 : 1;
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const paths = { train: join(dir, 'train.json'), dev: join(dir, 'dev.json'), test: join(dir, 'test.json'), types: join(dir, 'types.json'), config: join(dir, 'tiny.json'), out: join(dir, 'out') };
const corpus = syntheticCorpus(40, createRng(8), 'cmp');
const [trainDocs, devDocs, testDocs] = [corpus.slice(0, 24), corpus.slice(24, 32), corpus.slice(32)];

/** Tiny dimensions for every preset (shared keys), and each preset's own heads (keys named after it). */
const TINY = {
  encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
  training: { batchSize: 8 },
  spert: { spanHead: { config: { widthDim: 4 } }, training: { sampling: { negativeEntities: 10, negativeRelations: 10 } } },
  dixit: {
    spanHead: { config: { widthDim: 4, attentionHiddenDims: [8] } },
    entityClassifier: { config: { hiddenDims: [8] } },
    relationHead: { config: { hiddenDims: [8] } },
    training: { sampling: { maxSelectedSpans: 6 } },
  },
  ji2020: { spanHead: { config: { widthDim: 4, numHeads: 2, spanAttentionHiddenDims: [8] } }, entityClassifier: { config: { hiddenDims: [8] } }, relationHead: { config: { numHeads: 2 } } },
  twophase: { training: { sampling: { negativeEntities: 10, negativeRelations: 10 } } },
};

describe('spanrel compare', () => {
  it('presetOverrides lays a preset\'s own keys over the shared ones', () => {
    const config = { training: { epochs: 3, batchSize: 2 }, ji2020: { training: { batchSize: 4 } } };
    expect(presetOverrides(config, 'ji2020', 'c.json')).toEqual({ training: { epochs: 3, batchSize: 4 } });
    expect(presetOverrides(config, 'spert', 'c.json')).toEqual({ training: { epochs: 3, batchSize: 2 } });
    expect(() => presetOverrides({ ji2020: 3 }, 'ji2020', 'c.json')).toThrow(/c\.json: "ji2020" must be an object/);
    expect(() => presetOverrides({ preset: 'spert' }, 'ji2020', 'c.json')).toThrow(/may not set "preset"/);
  });

  it('rejects unknown presets and names bad config fields with the preset, before training', async () => {
    expect((await run(['--presets', 'spert,crf', '--train', 'a', '--dev', 'b', '--test', 'c', '--types', 'd'])).stderr).toMatch(/unknown preset "crf"; known: spert, dixit, ji2020, twophase/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ twophase: { training: { loss: { kind: 'focal' } } } }));
    const bad = await run(['--presets', 'spert,twophase', '--config', join(dir, 'bad.json'), '--train', 'a', '--dev', 'b', '--test', 'c', '--types', 'd']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json \(preset twophase\): training\.loss\.kind must be one of/);
  });

  it('trains every preset on the same data, prints one table and writes it as JSON and Markdown', async () => {
    writeDocuments(paths.train, trainDocs);
    writeDocuments(paths.dev, devDocs);
    writeDocuments(paths.test, testDocs);
    writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
    writeFileSync(paths.config, JSON.stringify(TINY));
    const presets = ['spert', 'dixit', 'ji2020', 'twophase'];
    const args = ['--presets', presets.join(','), '--config', paths.config, '--epochs', '1', '--train', paths.train, '--dev', paths.dev, '--test', paths.test, '--types', paths.types, '--out', paths.out, '--backend', 'cpu'];
    const r = await run(args);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);

    const report = JSON.parse(readFileSync(join(paths.out, 'compare.json'), 'utf8')) as CompareReport;
    expect(report.rows.map((row) => row.preset)).toEqual(presets);
    expect(report.data).toMatchObject({ trainSentences: 24, devSentences: 8, testSentences: 8 });
    expect(report.rows.map((row) => row.model.split(' + ')[0])).toEqual(new Array(4).fill('bilstm-charcnn-encoder.v1')); // the same encoder
    for (const row of report.rows) {
      // The test scores are those of the saved best model, recomputed here.
      const model = await loadModel(row.modelDir);
      const expected = evaluate(testDocs, model.predict(testDocs), SYNTHETIC_SCHEMA);
      model.dispose();
      for (const task of ['ner', 're', 'rePlus'] as const) {
        expect(row[task].micro.f1).toBeCloseTo(expected[task].micro.f1, 10);
        expect(row[task].macro.f1).toBeCloseTo(expected[task].macro.f1, 10);
      }
      // Training speed: one epoch of 24 sentences over the training time the run logged.
      const log = readFileSync(join(paths.out, row.preset, 'train-log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(log).toHaveLength(1);
      expect(row.trainSentencesPerSecond).toBeCloseTo(24 / log[0].trainSeconds, 6);
      expect(row.evalSentencesPerSecond).toBeGreaterThan(0);
    }

    const markdown = readFileSync(join(paths.out, 'compare.md'), 'utf8').split('\n');
    const header = markdown.findIndex((line) => line.startsWith('| preset |'));
    expect(markdown[header]).toBe('| preset | NER micro | NER macro | RE micro | RE macro | RE+ micro | RE+ macro | train sent/s | eval sent/s |');
    const tableRows = markdown.slice(header + 2, header + 6).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    expect(tableRows.map((c) => c[0])).toEqual(presets);
    tableRows.forEach((c, i) => expect(c[5]).toBe(report.rows[i].rePlus.micro.f1.toFixed(2)));
    // The printed table has the same rows.
    const printed = r.stdout.split('\n').filter((line) => presets.some((p) => line.startsWith(`${p} `)));
    expect(printed.map((line) => line.split(/\s+/).slice(0, 2))).toEqual(report.rows.map((row) => [row.preset, row.ner.micro.f1.toFixed(2)]));

    // --resume reuses the finished runs without training again.
    const again = await run([...args, '--resume']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming at step 3 of 3 steps/);
    expect(again.stderr).not.toMatch(/epoch 1: loss/);
  });
});
