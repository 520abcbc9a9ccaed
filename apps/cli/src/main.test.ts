import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureIO } from './testing/capture-io.js';
import { describe, expect, it } from 'vitest';
import { runCli, type CliIO } from './index.js';

const capture = captureIO;

describe('spanrel CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-'));

  it('demo writes a corpus, prints statistics, trains, evaluates, predicts new text and writes its report', async () => {
    // Tiny dimensions and one epoch so the whole demo takes seconds here; the defaults train for real.
    const tiny = join(dir, 'tiny.json');
    writeFileSync(
      tiny,
      JSON.stringify({
        encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
        spanHead: { config: { widthDim: 4 } },
        training: { batchSize: 16, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.01 } } },
      }),
    );
    const io = capture();
    const code = await runCli(['demo', '--out', dir, '--sentences', '200', '--epochs', '1', '--config', tiny, '--backend', 'cpu'], io);
    expect(code).toBe(0);
    expect(io.stdout).toContain('Synthetic demo corpus');
    expect(io.stdout).toContain('== spanrel train --preset spert');
    expect(io.stdout).toMatch(/micro/);
    expect(io.stdout).toContain('Kestrel'); // the predicted demo text is printed
    const train = JSON.parse(readFileSync(join(dir, 'train.json'), 'utf8')) as unknown[];
    expect(train).toHaveLength(140);
    const predictions = JSON.parse(readFileSync(join(dir, 'test_predictions.json'), 'utf8')) as unknown[];
    expect(predictions).toHaveLength(30);
    // The demo ends with its model's report, and says where it is.
    expect(io.stdout).toContain(`open it in a browser: ${join(dir, 'report.html')}`);
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(report.match(/<div class="sentence" /g)).toHaveLength(30);
    expect(report).toContain('id="chart-training-loss"');
  });

  it('stats --json counts what a plain loop over the file counts', async () => {
    const io = capture();
    const data = join(dir, 'train.json');
    expect(await runCli(['stats', '--data', data, '--types', join(dir, 'types.json'), '--json'], io)).toBe(0);
    const stats = JSON.parse(io.stdout);
    const raw = JSON.parse(readFileSync(data, 'utf8')) as { entities: unknown[]; relations: unknown[] }[];
    const text = JSON.stringify(stats);
    expect(text).toContain(String(raw.length));
    expect(text).toContain(String(raw.reduce((n, d) => n + d.entities.length, 0)));
    expect(text).toContain(String(raw.reduce((n, d) => n + d.relations.length, 0)));
  });

  it('stats --sampling shows the class imbalance of a preset\'s negative sampling', async () => {
    const args = ['stats', '--data', join(dir, 'train.json'), '--types', join(dir, 'types.json'), '--json'];
    const spert = capture();
    const ji = capture();
    expect(await runCli(args, spert)).toBe(0);
    expect(await runCli([...args, '--sampling', 'ji2020'], ji)).toBe(0);
    const a = JSON.parse(spert.stdout);
    const b = JSON.parse(ji.stdout);
    expect(b.documents).toBe(a.documents);
    expect(JSON.stringify(b)).not.toEqual(JSON.stringify(a)); // 30x gold negatives, not 100 / 100
    expect(await runCli([...args, '--sampling', 'nope'], capture())).toBe(2);
  });

  it('evaluate --json gives 100 F1 for gold against itself and scores the demo model', async () => {
    const gold = join(dir, 'test.json');
    const types = join(dir, 'types.json');
    const self = capture();
    expect(await runCli(['evaluate', '--gold', gold, '--pred', gold, '--types', types, '--json'], self)).toBe(0);
    const perfect = JSON.parse(self.stdout);
    for (const task of ['ner', 're', 'rePlus']) expect(perfect[task].micro.f1).toBeCloseTo(100, 6);

    const base = capture();
    expect(await runCli(['evaluate', '--gold', gold, '--pred', join(dir, 'test_predictions.json'), '--types', types, '--json'], base)).toBe(0);
    const scored = JSON.parse(base.stdout);
    expect(Object.keys(scored).sort()).toEqual(['ner', 're', 'rePlus']);
    for (const task of ['ner', 're', 'rePlus']) expect(scored[task].micro.f1).toBeLessThanOrEqual(100);
  });

  it('evaluate scores noisy predictions (duplicates, self-relations, unknown types) instead of rejecting them', async () => {
    const gold = join(dir, 'noisy-gold.json');
    const pred = join(dir, 'noisy-pred.json');
    const tokens = ['Ada', 'Brandt', 'works', 'for', 'Kestrel', 'Labs', '.'];
    writeFileSync(gold, JSON.stringify([{ tokens, entities: [{ type: 'Person', start: 0, end: 2 }, { type: 'Organization', start: 4, end: 6 }], relations: [{ type: 'Work_For', head: 0, tail: 1 }] }]));
    const entities = [{ type: 'Person', start: 0, end: 2 }, { type: 'Person', start: 0, end: 2 }, { type: 'Company', start: 4, end: 6 }];
    const relations = [{ type: 'Work_For', head: 0, tail: 2 }, { type: 'Work_For', head: 1, tail: 1 }];
    writeFileSync(pred, JSON.stringify([{ tokens, entities, relations }]));
    const io = capture();
    expect(await runCli(['evaluate', '--gold', gold, '--pred', pred, '--types', join(dir, 'types.json'), '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout);
    // NER: gold {Person(0,2), Organization(4,6)}; pred set {Person(0,2), Company(4,6)} -> 1 TP, 1 FP, 1 FN.
    expect(r.ner.micro.precision).toBeCloseTo(50, 6);
    expect(r.ner.micro.recall).toBeCloseTo(50, 6);
    expect(Object.keys(r.ner.perType)).toEqual(['Person', 'Organization', 'Company']);
    // RE (spans only): the Work_For tuple (0,2)->(4,6) matches; the self-relation is one false positive.
    expect(r.re.micro.precision).toBeCloseTo(50, 6);
    expect(r.re.micro.recall).toBeCloseTo(100, 6);
    // RE+ also needs the tail's entity type: Company != Organization.
    expect(r.rePlus.micro.f1).toBeCloseTo(0, 6);
  });

  it('convert round-trips SpERT JSON through DyGIE++ JSONL', async () => {
    const io = capture();
    const jsonl = join(dir, 'train.jsonl');
    const back = join(dir, 'train.back.json');
    expect(await runCli(['convert', '--input', join(dir, 'train.json'), '--output', jsonl], io)).toBe(0);
    expect(await runCli(['convert', '--input', jsonl, '--output', back], io)).toBe(0);
    const strip = (file: string) =>
      (JSON.parse(readFileSync(file, 'utf8')) as { tokens: string[]; entities: unknown[]; relations: unknown[] }[]).map(({ tokens, entities, relations }) => ({ tokens, entities, relations }));
    expect(strip(back)).toEqual(strip(join(dir, 'train.json')));
  });

  it('a bad data file fails with exit code 1 and names the file, the document and the field', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ tokens: ['a', 'b'], entities: [{ type: 'Person', start: 1, end: 5 }], relations: [] }]));
    const io = capture();
    expect(await runCli(['stats', '--data', bad, '--types', join(dir, 'types.json')], io)).toBe(1);
    expect(io.stderr).toContain('bad.json');
    expect(io.stderr).toContain('document 0');
    expect(io.stderr).toContain('entities[0].end');
  });

  it('a missing option is a usage error (exit 2) that names the option', async () => {
    const io = capture();
    expect(await runCli(['evaluate', '--gold', 'x.json'], io)).toBe(2);
    expect(io.stderr).toContain('--types');
    expect(await runCli(['nope'], capture())).toBe(2);
  });
});
