import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, writeDocuments, writeTypeSchema, type Document } from '@spanrel/datasets';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { CHROMIUM_PATH, launchChromium } from '../testing/chromium.js';
import { runCaptured as run } from '../testing/capture-io.js';
import { evalCommand } from './eval.js';
import { evaluateCommand } from './evaluate.js';
import { reportCommand } from './report.js';
import { trainCommand } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-report-'));
const file = (name: string) => join(dir, name);
const corpus = syntheticCorpus(32, createRng(7), 'report');
const devDocs = corpus.slice(24);

/** The numbers of the page's score tables: `ner.micro.f1` -> "12.34". */
function metricCells(html: string): Map<string, string> {
  return new Map([...html.matchAll(/data-metric="([^"]+)">([^<]*)</g)].map((m) => [m[1]!, m[2]!]));
}

/** Gold with mistakes a model makes: every third entity dropped (with its relations), every fourth retyped, every relation of a fifth document retyped. */
function corrupted(docs: readonly Document[]): Document[] {
  const types = SYNTHETIC_SCHEMA.entities.map((t) => t.name);
  const relTypes = SYNTHETIC_SCHEMA.relations.map((t) => t.name);
  let n = 0;
  return docs.map((doc, d) => {
    const keep = doc.entities.map(() => n++ % 3 !== 2);
    const index = new Map<number, number>();
    const entities = doc.entities.filter((_, i) => keep[i]).map((e, i) => (index.set(doc.entities.indexOf(e), i), i % 4 === 3 ? { ...e, type: types[(types.indexOf(e.type) + 1) % types.length]! } : e));
    const relations = doc.relations
      .filter((r) => index.has(r.head) && index.has(r.tail))
      .map((r) => ({ head: index.get(r.head)!, tail: index.get(r.tail)!, type: d % 5 === 4 ? relTypes[(relTypes.indexOf(r.type) + 1) % relTypes.length]! : r.type }));
    return { ...doc, entities, relations };
  });
}

beforeAll(async () => {
  writeDocuments(file('train.json'), corpus.slice(0, 24));
  writeDocuments(file('dev.json'), devDocs);
  writeTypeSchema(file('types.json'), SYNTHETIC_SCHEMA);
  // A tiny model and one epoch: seconds; what matters is a real run folder (model/, run.json, train-log.jsonl).
  writeFileSync(
    file('tiny.json'),
    JSON.stringify({
      encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
      spanHead: { config: { widthDim: 4 } },
      training: { epochs: 1, batchSize: 8, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.01 } } },
    }),
  );
  const trained = await run(trainCommand, ['--preset', 'spert', '--config', file('tiny.json'), '--train', file('train.json'), '--dev', file('dev.json'), '--types', file('types.json'), '--out', file('run'), '--backend', 'cpu']);
  expect(trained.stderr).not.toMatch(/Error/);
  expect(trained.code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spanrel report', () => {
  it('needs Debian\'s chromium, and says how to install it when it is missing', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow('/nonexistent/chromium not found: the browser tests need Debian\'s chromium; run scripts/system-deps.sh');
    expect(existsSync(CHROMIUM_PATH), `${CHROMIUM_PATH} is missing: run scripts/system-deps.sh`).toBe(true);
  });

  it('writes a page that opens in headless Chromium: no error, no request, charts, arcs and a working error filter', async () => {
    const out = file('report.html');
    const r = await run(reportCommand, ['--model', file('run'), '--data', file('dev.json'), '--out', out, '--backend', 'cpu']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`report written to ${out}`);

    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
      page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
      await page.screenshot({ path: file('report.png'), fullPage: true });
      expect(statSync(file('report.png')).size).toBeGreaterThan(10_000);

      // Charts: the training curves (the model is a training run's), breakdowns and confusion, each an SVG with a size.
      for (const id of ['training-loss', 'training-dev', 'entity-length', 'sentence-length', 'argument-distance', 'confusion']) {
        const box = await page.locator(`#chart-${id} svg`).first().boundingBox();
        expect(box, id).not.toBeNull();
        expect(box!.width * box!.height, id).toBeGreaterThan(1000);
      }
      expect(await page.locator('#chart-training-loss svg .mark-line path').count()).toBeGreaterThan(0);
      // Relation arcs (gold ones at least: the corpus has relations) drawn with a size.
      const arcs = page.locator('#sentences path.arc');
      expect(await arcs.count()).toBeGreaterThan(0);
      const arc = await arcs.first().boundingBox();
      expect(arc!.width).toBeGreaterThan(5);
      expect(arc!.height).toBeGreaterThan(5);

      // The filter: each button shows exactly the sentences with that kind of error, and one shows fewer than all.
      const kinds = (await page.locator('#sentences .sentence').evaluateAll((els) => els.map((e) => e.getAttribute('data-errors') ?? ''))).map((k) => k.split(' ').filter(Boolean));
      expect(kinds).toHaveLength(devDocs.length);
      const visible = () => page.locator('#sentences .sentence').evaluateAll((els) => els.map((e, i) => ((e as unknown as { hidden: boolean }).hidden ? -1 : i)).filter((i) => i >= 0));
      const counts: number[] = [];
      for (const kind of ['false-positive', 'false-negative', 'wrong-type', 'wrong-boundary', 'any']) {
        await page.click(`#error-filter button[data-filter="${kind}"]`);
        const expected = kinds.map((k, i) => ((kind === 'any' ? k.length > 0 : k.includes(kind)) ? i : -1)).filter((i) => i >= 0);
        expect(await visible(), kind).toEqual(expected);
        expect(await page.textContent('#shown-count')).toBe(String(expected.length));
        expect(await page.getAttribute(`#error-filter button[data-filter="${kind}"]`, 'aria-pressed')).toBe('true');
        counts.push(expected.length);
      }
      expect(Math.min(...counts)).toBeLessThan(devDocs.length);
      await page.click('#error-filter button[data-filter="all"]');
      expect(await visible()).toHaveLength(devDocs.length);

      expect(problems).toEqual([]);
      expect(requests).toEqual([pathToFileURL(out).href]);
    } finally {
      await browser.close();
    }
  });

  it('shows the numbers of spanrel evaluate --json on the same files, with two decimals', async () => {
    // The model's own predictions (written by eval), and a corrupted gold (non-trivial scores whatever the model learnt).
    expect((await run(evalCommand, ['--model', file('run'), '--data', file('dev.json'), '--pred', file('model-pred.json'), '--backend', 'cpu'])).code).toBe(0);
    writeDocuments(file('corrupted.json'), corrupted(devDocs));
    for (const pred of ['model-pred.json', 'corrupted.json']) {
      const out = file(`${pred}.html`);
      const r = await run(reportCommand, ['--model', join(file('run'), 'model'), '--data', file('dev.json'), '--pred', file(pred), '--types', file('types.json'), '--out', out]);
      expect(r.code, r.stderr).toBe(0);
      const evaluated = await run(evaluateCommand, ['--gold', file('dev.json'), '--pred', file(pred), '--types', file('types.json'), '--json']);
      const scores = JSON.parse(evaluated.stdout) as Record<string, { micro: Record<string, number>; macro: Record<string, number>; perType: Record<string, Record<string, number>> }>;
      const cells = metricCells(readFileSync(out, 'utf8'));
      let compared = 0;
      for (const task of ['ner', 're', 'rePlus']) {
        for (const avg of ['micro', 'macro'] as const) {
          for (const m of ['precision', 'recall', 'f1']) expect(cells.get(`${task}.${avg}.${m}`), `${pred} ${task}.${avg}.${m}`).toBe(scores[task]![avg]![m]!.toFixed(2)), compared++;
        }
        for (const [type, s] of Object.entries(scores[task]!.perType)) {
          for (const m of ['precision', 'recall', 'f1']) expect(cells.get(`${task}.perType.${type}.${m}`)).toBe(s[m]!.toFixed(2)), compared++;
          expect(cells.get(`${task}.perType.${type}.support`)).toBe(String(s.support));
        }
      }
      expect(compared).toBeGreaterThan(18);
      if (pred === 'corrupted.json') {
        const f1 = Number(cells.get('ner.micro.f1'));
        expect(f1).toBeGreaterThan(30);
        expect(f1).toBeLessThan(100);
      }
    }
    // Without --pred the report predicts with the model: the same predictions, the same numbers.
    const predicted = metricCells(readFileSync(file('report.html'), 'utf8'));
    expect(predicted).toEqual(metricCells(readFileSync(file('model-pred.json.html'), 'utf8')));
  });

  it('names the file of a malformed or empty input, and writes no page', async () => {
    const out = file('bad.html');
    const report = (data: string, pred?: string, extra: string[] = []) =>
      run(reportCommand, ['--model', file('run'), '--data', data, ...(pred ? ['--pred', pred] : []), '--types', file('types.json'), '--out', out, ...extra]);
    writeFileSync(file('empty.json'), '[]');
    const empty = await report(file('empty.json'), file('empty.json'));
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain(`${file('empty.json')}: no sentence`);

    writeFileSync(file('broken.json'), '[{"tokens": ["a"');
    const broken = await report(file('dev.json'), file('broken.json'));
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain(file('broken.json'));

    const others = await report(file('dev.json'), file('train.json'));
    expect(others.code).toBe(1);
    expect(others.stderr).toMatch(new RegExp(`^${file('train.json')}: 24 documents, but ${file('dev.json')} has 8`, 'm'));

    const retokenized = devDocs.map((d, i) => (i === 3 ? { ...d, tokens: d.tokens.map((t) => t.toUpperCase()) } : d));
    writeDocuments(file('retokenized.json'), retokenized);
    const tokens = await report(file('dev.json'), file('retokenized.json'));
    expect(tokens.stderr).toMatch(new RegExp(`^${file('retokenized.json')}: document 3 \\(id .*\\) is not a prediction for ${file('dev.json')} document 3`, 'm'));

    const withEntities = devDocs.findIndex((d) => d.entities.length > 0);
    const unknown = devDocs.map((d, i) => (i === withEntities ? { ...d, entities: d.entities.map((e) => ({ ...e, type: 'Planet' })) } : d));
    writeDocuments(file('unknown.json'), unknown);
    const types = await report(file('dev.json'), file('unknown.json'));
    expect(types.code).toBe(1);
    expect(types.stderr).toMatch(new RegExp(`^${file('unknown.json')}: document ${withEntities} .*entities\\[0\\]\\.type "Planet" is not an entity type`, 'm'));

    const noModel = await run(reportCommand, ['--model', dir, '--data', file('dev.json'), '--out', out]);
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/not a model folder/);
    const usage = await run(reportCommand, ['--model', file('run')]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/missing required option --data/);
    expect(existsSync(out)).toBe(false);
  });
});
