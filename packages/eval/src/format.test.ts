import { describe, expect, it } from 'vitest';
import { evaluate, evaluateBreakdowns, formatBreakdowns, formatEvaluation, type TaskScores } from './index.js';
import { doc, SCHEMA } from './testing/documents.js';

// SpERT's evaluator header: "%20s" + " %12s" * 4
const HEADER = '                type    precision       recall     f1-score      support';
const ROW = /^\s*(\S+)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+\.\d\d)\s+(\d+)$/;

const gold = [doc(10, [[0, 2, 'Per'], [3, 4, 'Org'], [5, 6, 'Loc']], [['Work', 0, 1], ['Near', 1, 2]])];
const pred = [doc(10, [[0, 2, 'Per'], [3, 4, 'Loc'], [5, 6, 'Loc'], [8, 9, 'Per']], [['Work', 0, 1], ['Near', 2, 1], ['Kill', 0, 3]])];

/** Parses the table that follows `afterLine` back into {label: [p, r, f1, support]}. */
function parseTable(text: string, afterLine: string): Map<string, number[]> {
  const lines = text.split('\n');
  let i = lines.indexOf(afterLine);
  expect(i).toBeGreaterThanOrEqual(0);
  while (lines[i] !== HEADER) i++;
  const rows = new Map<string, number[]>();
  for (i = i + 1; i < lines.length; i++) {
    const m = ROW.exec(lines[i]!);
    if (m) rows.set(m[1]!, m.slice(2).map(Number));
    else if (lines[i]!.startsWith('---') || lines[i]!.startsWith('With')) break;
  }
  return rows;
}

function expectTableMatches(rows: Map<string, number[]>, scores: TaskScores): void {
  const total = Object.values(scores.perType).reduce((s, t) => s + t.support, 0);
  const expected = new Map<string, number[]>([
    ...Object.entries(scores.perType).map(([t, s]) => [t, [s.precision, s.recall, s.f1, s.support]] as [string, number[]]),
    ['micro', [scores.micro.precision, scores.micro.recall, scores.micro.f1, total]],
    ['macro', [scores.macro.precision, scores.macro.recall, scores.macro.f1, total]],
  ]);
  expect([...rows.keys()]).toEqual([...expected.keys()]);
  for (const [label, values] of expected) {
    const printed = rows.get(label)!;
    values.forEach((v, k) => expect(Math.abs(printed[k]! - v)).toBeLessThanOrEqual(0.005 + 1e-9));
  }
}

describe('formatEvaluation', () => {
  const result = evaluate(gold, pred, SCHEMA);
  const text = formatEvaluation(result);

  it('prints SpERT-style tables for NER, RE without NEC and RE with NEC', () => {
    expect(text.split('\n').filter((l) => l === HEADER)).toHaveLength(3);
    expect(text).toContain('--- Entities (named entity recognition (NER)) ---');
    expect(text).toContain('Without named entity classification (NEC)');
    expect(text).toContain('With named entity classification (NEC)');
  });

  it('prints every figure of the result to two decimals (round trip)', () => {
    expectTableMatches(parseTable(text, '--- Entities (named entity recognition (NER)) ---'), result.ner);
    expectTableMatches(parseTable(text, 'Without named entity classification (NEC)'), result.re);
    expectTableMatches(parseTable(text, 'With named entity classification (NEC)'), result.rePlus);
  });

  it('aligns columns to SpERT widths', () => {
    const micro = text.split('\n').find((l) => l.trimStart().startsWith('micro'))!;
    expect(micro.length).toBe(HEADER.length);
    expect(micro.slice(0, 20)).toBe('micro'.padStart(20));
  });
});

describe('formatBreakdowns', () => {
  it('prints one row per bucket with its figures', () => {
    const b = evaluateBreakdowns(gold, pred, SCHEMA);
    const text = formatBreakdowns(b);
    const lines = text.split('\n');
    const start = lines.indexOf('--- NER by entity length (words) ---');
    const rows = lines.slice(start).map((l) => ROW.exec(l)).filter((m) => m !== null).slice(0, 6);
    expect(rows.map((m) => m![1])).toEqual(b.ner.entityLength.map((x) => x.bucket));
    for (const [i, m] of rows.entries()) {
      const s = b.ner.entityLength[i]!;
      expect(Number(m![4])).toBeCloseTo(s.f1, 2);
      expect(Number(m![5])).toBe(s.support);
    }
  });
});
