import { evaluate } from '@spanrel/eval';
import { describe, expect, it } from 'vitest';
import { buildReportHtml } from './build-report.js';
import { chartSvg, metricCells } from './testing/html-queries.js';
import { GOLD, PRED, SCHEMA } from './testing/fixtures.js';
import type { TrainingEpoch } from './types.js';

const run = { model: 'runs/x/model', preset: 'spert', encoder: 'bilstm', data: 'test <1>.json', backend: 'cpu', date: '2026-12-04T18:00:00Z' };
const dev = (f1: number) => ({ ner: { precision: f1, recall: f1, f1 }, re: { precision: f1, recall: f1, f1 }, rePlus: { precision: f1, recall: f1, f1 } });
const LOG: TrainingEpoch[] = [
  { epoch: 1, loss: 3.5, entityLoss: 2, relationLoss: 1.5, dev: dev(10), best: true },
  { epoch: 2, loss: 1.25, entityLoss: 0.75, relationLoss: 0.5, dev: dev(35), best: true },
];

describe('buildReportHtml', async () => {
  const html = await buildReportHtml({ gold: GOLD, pred: PRED, schema: SCHEMA, run, trainingLog: LOG });

  it('is one self-contained page: no external script, style, font or link', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=|<link\b|@import|@font-face|url\(http/i);
    // The only absolute URLs are SVG namespaces.
    const urls = [...html.matchAll(/https?:\/\/[^"' )]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html).toContain("default-src 'none'");
  });

  it('shows the run summary, escaped', () => {
    expect(html).toContain('<dd data-field="data">test &lt;1&gt;.json (4 sentences)</dd>');
    expect(html).toContain('<dd data-field="preset">spert</dd>');
    expect(html).toContain('<dd data-field="predictions">predicted by the model for this report</dd>');
  });

  it('shows the NER / RE / RE+ scores with two decimals, as evaluate computes them', () => {
    const cells = metricCells(html);
    // By hand: 5 of 8 predicted entities right, 8 gold ones; 2 of 3 relations right, 3 gold ones.
    expect([cells.get('ner.micro.precision'), cells.get('ner.micro.recall'), cells.get('ner.micro.f1'), cells.get('ner.micro.support')]).toEqual(['62.50', '62.50', '62.50', '8']);
    expect([cells.get('re.micro.f1'), cells.get('rePlus.micro.f1'), cells.get('re.perType.Kin.f1'), cells.get('ner.perType.Loc.recall')]).toEqual(['66.67', '66.67', '100.00', '33.33']);
    const result = evaluate(GOLD, PRED, SCHEMA);
    for (const task of ['ner', 're', 'rePlus'] as const) {
      for (const avg of ['micro', 'macro'] as const) for (const m of ['precision', 'recall', 'f1'] as const) expect(cells.get(`${task}.${avg}.${m}`)).toBe(result[task][avg][m].toFixed(2));
      for (const [type, s] of Object.entries(result[task].perType)) {
        expect(cells.get(`${task}.perType.${type}.f1`)).toBe(s.f1.toFixed(2));
        expect(cells.get(`${task}.perType.${type}.support`)).toBe(String(s.support));
      }
    }
  });

  it('draws every chart as inline SVG with its marks', () => {
    for (const id of ['training-loss', 'training-dev', 'entity-length', 'sentence-length', 'argument-distance', 'confusion']) {
      const svg = chartSvg(html, id);
      expect(svg, id).toBeDefined();
      expect(svg, id).toMatch(/class="mark-(line|rect|symbol)/);
    }
    // Loss curve: total, entity and relation, two epochs each -> 3 line paths.
    expect(chartSvg(html, 'training-loss')!.match(/<path[^>]*aria-roledescription="line mark"/g)).toHaveLength(3);
    // The confusion matrix writes each of its 15 cells' count.
    expect(chartSvg(html, 'confusion')!.match(/aria-roledescription="text mark"/g)).toHaveLength(15);
  });

  it('has an error browser with counts per kind and one entry per sentence', () => {
    expect(html.match(/<div class="sentence" /g)).toHaveLength(4);
    expect([...html.matchAll(/data-error-count="([a-z-]+)">(\d+)</g)].map((m) => [m[1], Number(m[2])])).toEqual([
      ['false-positive', 1],
      ['false-negative', 1],
      ['wrong-type', 1],
      ['wrong-boundary', 2],
    ]);
    expect([...html.matchAll(/data-errors="([^"]*)"/g)].map((m) => m[1])).toEqual(['', 'wrong-type wrong-boundary', 'false-positive false-negative', '']);
    // One arc per relation, gold and predicted: 3 + 3.
    expect(html.match(/<path class="arc"/g)).toHaveLength(6);
  });

  it('is a pure function of its input: the same input, the same page', async () => {
    expect(await buildReportHtml({ gold: GOLD, pred: PRED, schema: SCHEMA, run, trainingLog: LOG })).toBe(html);
  });

  it('leaves the training charts out without a training log', async () => {
    const plain = await buildReportHtml({ gold: GOLD, pred: PRED, schema: SCHEMA, run });
    expect(chartSvg(plain, 'training-loss')).toBeUndefined();
    expect(plain).toContain('No training log');
    expect(chartSvg(plain, 'confusion')).toBeDefined();
  });
});
