import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../testing/capture-io.js';
import { createRng, writeDocuments, writeTypeSchema } from '@spanrel/datasets';
import { evaluate } from '@spanrel/eval';
import { loadModel, preset, VARIANT_NAMES } from '@spanrel/joint';
import { UsageError } from '../command.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { compareCommand, parsePresets, presetOverrides, type CompareReport } from './compare.js';


const run = (argv: string[]) => runCaptured(compareCommand, argv);

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

  it('presetOverrides: a variant takes the shared keys, then its preset\'s, then its own; other variants\' keys stay out', () => {
    const config = { training: { epochs: 3, batchSize: 2 }, ji2020: { training: { batchSize: 4 }, seed: 7 }, 'ji2020/-local': { training: { batchSize: 6 } }, 'stsn/layers=2': { seed: 9 } };
    expect(presetOverrides(config, 'ji2020', 'c.json', 'ji2020/-local')).toEqual({ training: { epochs: 3, batchSize: 6 }, seed: 7 });
    expect(presetOverrides(config, 'ji2020', 'c.json', 'ji2020/additive')).toEqual({ training: { epochs: 3, batchSize: 4 }, seed: 7 });
    expect(presetOverrides(config, 'ji2020', 'c.json')).toEqual({ training: { epochs: 3, batchSize: 4 }, seed: 7 });
    expect(presetOverrides(config, 'spert', 'c.json')).toEqual({ training: { epochs: 3, batchSize: 2 } });
    expect(() => presetOverrides({ 'ji2020/-local': [] }, 'ji2020', 'c.json', 'ji2020/-local')).toThrow(/c\.json: "ji2020\/-local" must be an object of overrides for that variant/);
  });

  it('parsePresets takes presets and model variants, every preset by default', () => {
    expect(parsePresets(undefined)).toEqual(['spert', 'dixit', 'ji2020', 'twophase', 'stsn']);
    expect(parsePresets(' ji2020/-local, stsn/layers=2 ,spert')).toEqual(['ji2020/-local', 'stsn/layers=2', 'spert']);
    for (const name of VARIANT_NAMES) expect(parsePresets(name)).toEqual([name]);
    expect(() => parsePresets('ji2020/-Local')).toThrow(UsageError);
    expect(() => parsePresets('ji2020/-Local')).toThrow(/--presets: unknown model variant "ji2020\/-Local" \(did you mean "ji2020\/-local"\?\); known: spert, dixit, ji2020, twophase, stsn, ji2020\/additive/);
    expect(() => parsePresets('stsn/layers=2,stsn/layers=2')).toThrow(/names a preset twice/);
    expect(() => parsePresets(',')).toThrow(/names no preset/);
  });

  it('rejects unknown presets and names bad config fields with the preset, before training', async () => {
    expect((await run(['--presets', 'spert,crf', '--train', 'a', '--dev', 'b', '--test', 'c', '--types', 'd'])).stderr).toMatch(/unknown model variant "crf" .*; known: spert, dixit, ji2020, twophase, stsn, ji2020\/additive/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ twophase: { training: { loss: { kind: 'focal' } } } }));
    const bad = await run(['--presets', 'spert,twophase', '--config', join(dir, 'bad.json'), '--train', 'a', '--dev', 'b', '--test', 'c', '--types', 'd']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.json \(preset twophase\): training\.loss\.kind must be one of/);
    // A variant's errors name the variant; the preset's own key applies to it.
    const badVariant = await run(['--presets', 'twophase/-gated', '--config', join(dir, 'bad.json'), '--train', 'a', '--dev', 'b', '--test', 'c', '--types', 'd']);
    expect(badVariant.code).toBe(1);
    expect(badVariant.stderr).toMatch(/bad\.json \(variant twophase\/-gated\): training\.loss\.kind must be one of/);
  });

  it('trains every preset on the same data, prints one table and writes it as JSON and Markdown', async () => {
    writeDocuments(paths.train, trainDocs);
    writeDocuments(paths.dev, devDocs);
    writeDocuments(paths.test, testDocs);
    writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
    writeFileSync(paths.config, JSON.stringify(TINY));
    const presets = ['spert', 'dixit', 'ji2020', 'twophase'];
    const args = ['--presets', presets.join(','), '--config', paths.config, '--epochs', '1', '--train', paths.train, '--dev', paths.dev, '--test', paths.test, '--types', paths.types, '--out', paths.out, '--backend', 'cpu', '--max-train', '20', '--max-test', '6'];
    const r = await run(args);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);

    const report = JSON.parse(readFileSync(join(paths.out, 'compare.json'), 'utf8')) as CompareReport;
    expect(report.rows.map((row) => row.variant)).toEqual(presets);
    expect(report.rows.map((row) => row.preset)).toEqual(presets);
    expect(report.data).toMatchObject({ trainSentences: 20, devSentences: 8, testSentences: 6 }); // --max-train 20, --max-test 6
    expect(report.rows.map((row) => row.model.split(' + ')[0])).toEqual(new Array(4).fill('bilstm-charcnn-encoder.v1')); // the same encoder
    for (const row of report.rows) {
      // The test scores are those of the saved best model, recomputed here.
      const model = await loadModel(row.modelDir);
      const scored = testDocs.slice(0, 6);
      const expected = evaluate(scored, model.predict(scored), SYNTHETIC_SCHEMA);
      model.dispose();
      for (const task of ['ner', 're', 'rePlus'] as const) {
        expect(row[task].micro.f1).toBeCloseTo(expected[task].micro.f1, 10);
        expect(row[task].macro.f1).toBeCloseTo(expected[task].macro.f1, 10);
      }
      // Training speed: one epoch of the first 20 sentences over the training time the run logged.
      const log = readFileSync(join(paths.out, row.preset, 'train-log.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(log).toHaveLength(1);
      expect(row.trainSentencesPerSecond).toBeCloseTo(20 / log[0].trainSeconds, 6);
      expect(row.evalSentencesPerSecond).toBeGreaterThan(0);
    }

    const markdown = readFileSync(join(paths.out, 'compare.md'), 'utf8').split('\n');
    const header = markdown.findIndex((line) => line.startsWith('| variant |'));
    expect(markdown[header]).toBe('| variant | NER micro | NER macro | RE micro | RE macro | RE+ micro | RE+ macro | train sent/s | eval sent/s |');
    const tableRows = markdown.slice(header + 2, header + 6).map((line) => line.split('|').slice(1, -1).map((c) => c.trim()));
    expect(tableRows.map((c) => c[0])).toEqual(presets);
    tableRows.forEach((c, i) => expect(c[5]).toBe(report.rows[i].rePlus.micro.f1.toFixed(2)));
    // compare.html: the same scores, and a grouped bar per preset and task (4 x 3).
    const html = readFileSync(join(paths.out, 'compare.html'), 'utf8');
    expect(html.match(/aria-roledescription="bar"/g)!.length).toBe(4 * 3 + 4 * 2); // F1 chart + speed chart
    report.rows.forEach((row) => expect(html).toContain(`data-metric="${row.variant}.rePlus.micro.f1">${row.rePlus.micro.f1.toFixed(2)}<`));
    // The printed table has the same rows.
    const printed = r.stdout.split('\n').filter((line) => presets.some((p) => line.startsWith(`${p} `)));
    expect(printed.map((line) => line.split(/\s+/).slice(0, 2))).toEqual(report.rows.map((row) => [row.preset, row.ner.micro.f1.toFixed(2)]));

    // --resume reuses the finished runs without training again.
    const again = await run([...args, '--resume']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/resuming at step 3 of 3 steps/);
    expect(again.stderr).not.toMatch(/epoch 1: loss/);
  });

  it('trains model variants by name: each in its own folder without "/", with its flag, the table naming the variant', async () => {
    // The preset keys of TINY shrink the variants too; the stsn key leaves numLayers to the variant.
    const config = join(dir, 'tiny-variants.json');
    const stsn = { tokenInteraction: { config: { numHeads: 2 } }, tagger: { config: { labelDim: 4 } }, spanHead: { config: { widthDim: 4 } }, training: { sampling: { negativeEntities: 10, negativeRelations: 10 } } };
    writeFileSync(config, JSON.stringify({ ...TINY, stsn }));
    const out = join(dir, 'out-variants');
    const variants = ['ji2020/-local', 'stsn/layers=2', 'ji2020'];
    const r = await run(['--presets', variants.join(','), '--config', config, '--epochs', '1', '--train', paths.train, '--dev', paths.dev, '--test', paths.test, '--types', paths.types, '--out', out, '--backend', 'cpu']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareReport;
    expect(report.rows.map((row) => [row.variant, row.preset])).toEqual([['ji2020/-local', 'ji2020'], ['stsn/layers=2', 'stsn'], ['ji2020', 'ji2020']]);
    expect(report.rows.map((row) => row.modelDir)).toEqual(['ji2020__-local', 'stsn__layers=2', 'ji2020'].map((f) => join(out, f, 'model')));
    // The run's spec keeps the preset's name and differs from the plain ji2020 run only in the flag.
    const runSpec = (folder: string) => JSON.parse(readFileSync(join(out, folder, 'run.json'), 'utf8')) as ReturnType<typeof preset>;
    const local = runSpec('ji2020__-local');
    const plain = runSpec('ji2020');
    expect(local.preset).toBe('ji2020');
    expect(local.relationHead.config.local).toBe(false);
    expect(plain.relationHead.config.local).toBe(true);
    expect({ ...local, relationHead: { ...local.relationHead, config: { ...local.relationHead.config, local: true } } }).toEqual(plain);
    expect(runSpec('stsn__layers=2').tokenInteraction?.config.numLayers).toBe(2);
    // The saved models carry the flags.
    const model = await loadModel(report.rows[0].modelDir);
    expect(model.relationHead.config()).toMatchObject({ local: false });
    model.dispose();
    const stsnModel = await loadModel(report.rows[1].modelDir);
    expect(stsnModel.tokenInteraction?.config().numLayers).toBe(2);
    stsnModel.dispose();
    // Both tables name the variants.
    const printed = r.stdout.split('\n').filter((line) => variants.some((v) => line.startsWith(`${v} `)));
    expect(printed.map((line) => line.split(/\s+/)[0])).toEqual(variants);
    const markdown = readFileSync(join(out, 'compare.md'), 'utf8');
    for (const v of variants) expect(markdown).toContain(`| ${v} |`);
  });
});
