import { describe, expect, it } from 'vitest';
import { buildCompareHtml } from './compare-report.js';
import { chartSvg, metricCells } from './testing/html-queries.js';
import type { CompareEntry, CompareInput } from './types.js';

const task = (micro: number, macro: number) => ({ micro: { precision: micro, recall: micro, f1: micro }, macro: { precision: macro, recall: macro, f1: macro } });
const entry = (variant: string, f1: number, speed: number): CompareEntry => ({
  variant,
  preset: variant.split('/')[0]!,
  model: 'bilstm + spert-span + softmax-entity + spert-relation',
  ner: task(f1, f1 - 1),
  re: task(f1 / 2, f1 / 2 - 1),
  rePlus: task(f1 / 3, f1 / 3 - 1),
  trainSentencesPerSecond: speed,
  evalSentencesPerSecond: speed * 4,
  epochs: 3,
  bestEpoch: 2,
});
const INPUT: CompareInput = {
  encoder: 'bilstm',
  backend: 'cpu',
  data: { train: 'train.json', dev: 'dev.json', test: 'test.json', types: 'types.json', trainSentences: 40, devSentences: 8, testSentences: 8 },
  rows: [entry('spert', 80, 12.5), entry('ji2020/-local', 70.125, 3)],
};

describe('buildCompareHtml', () => {
  it('draws F1 per preset as grouped bars (3 tasks x 2 variants) and the speeds (2 x 2)', async () => {
    const html = await buildCompareHtml(INPUT);
    expect(chartSvg(html, 'compare-scores')!.match(/aria-roledescription="bar"/g)).toHaveLength(6);
    expect(chartSvg(html, 'compare-speed')!.match(/aria-roledescription="bar"/g)).toHaveLength(4);
    const cells = metricCells(html);
    expect(cells.get('ji2020/-local.ner.micro.f1')).toBe('70.13');
    expect(cells.get('spert.rePlus.macro.f1')).toBe('25.67');
    expect(html).toContain('<td class="num">12.5</td><td class="num">50.0</td>');
    expect(html).not.toMatch(/<script[^>]+src=|<link\b/);
  });

  it('refuses an empty comparison', async () => {
    await expect(buildCompareHtml({ ...INPUT, rows: [] })).rejects.toThrow(/no preset/);
  });
});
