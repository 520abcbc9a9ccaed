import type { Document } from '@spanrel/datasets';
import { describe, expect, it } from 'vitest';
import { buildReportHtml } from './build-report.js';
import { checkReportInput } from './check-report-input.js';
import { ReportInputError } from './report-input-error.js';
import { GOLD, PRED, SCHEMA } from './testing/fixtures.js';

const sources = { gold: 'data/test.json', pred: 'runs/pred.json' };
const check = (gold: readonly Document[], pred: readonly Document[]) => () => checkReportInput(gold, pred, SCHEMA, sources);

describe('checkReportInput', () => {
  it('accepts matching documents', () => {
    expect(check(GOLD, PRED)).not.toThrow();
  });

  it('refuses an empty corpus, naming the gold file', () => {
    expect(check([], [])).toThrow(new ReportInputError('data/test.json: no sentence (a report needs at least one document)'));
  });

  it('refuses predictions for other documents, naming the predictions file', () => {
    expect(check(GOLD, PRED.slice(1))).toThrow(/^runs\/pred\.json: 3 documents, but data\/test\.json has 4/);
    const other = [...PRED.slice(0, 2), { ...PRED[2]!, tokens: ['Prices', 'fell', 'in', 'Ghent', 'on', 'Monday', '.'] }, PRED[3]!];
    expect(check(GOLD, other)).toThrow('runs/pred.json: document 2 (id "s2") is not a prediction for data/test.json document 2 (id "s2"): tokens[1] is "fell", gold has "rose"');
    const shorter = [PRED[0]!, { ...PRED[1]!, tokens: PRED[1]!.tokens.slice(0, 8), entities: [], relations: [] }, ...PRED.slice(2)];
    expect(check(GOLD, shorter)).toThrow(/runs\/pred\.json: document 1 .*: 8 tokens, gold has 9/);
  });

  it('refuses types the schema does not have, and spans out of range', () => {
    const unknown = [{ ...PRED[0]!, entities: [{ start: 0, end: 2, type: 'Person' }], relations: [] }, ...PRED.slice(1)];
    expect(check(GOLD, unknown)).toThrow(/^runs\/pred\.json: document 0 \(id "s0"\): entities\[0\]\.type "Person" is not an entity type of the types \(Peop, Loc, Org\)/);
    const relation = [{ ...PRED[0]!, relations: [{ head: 0, tail: 1, type: 'Lives' }] }, ...PRED.slice(1)];
    expect(check(GOLD, relation)).toThrow(/relations\[0\]\.type "Lives" is not a relation type/);
    const outside = [GOLD[0]!, { ...GOLD[1]!, entities: [{ start: 8, end: 10, type: 'Loc' }], relations: [] }, ...GOLD.slice(2)];
    expect(check(outside, PRED)).toThrow(/^data\/test\.json: gold document 1 \(id "s1"\): entities\[0\] has span \[8, 10\)/);
    const empty = [{ ...GOLD[0]!, tokens: [], entities: [], relations: [] }, ...GOLD.slice(1)];
    expect(check(empty, PRED)).toThrow('data/test.json: document 0 (id "s0") has no tokens (an empty sentence)');
  });

  it('is what buildReportHtml checks first: bad input gives an error, not a page', async () => {
    const run = { model: 'm', data: 'd', date: '2026-01-01' };
    await expect(buildReportHtml({ gold: GOLD, pred: PRED.slice(2), schema: SCHEMA, run })).rejects.toThrow(/^predicted documents: 2 documents, but gold documents has 4/);
    await expect(buildReportHtml({ gold: [], pred: [], schema: SCHEMA, run, sources })).rejects.toBeInstanceOf(ReportInputError);
  });
});
