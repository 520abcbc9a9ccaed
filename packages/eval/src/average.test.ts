import { describe, expect, it } from 'vitest';
import { averageEvaluations, evaluate, EvaluationInputError } from './index.js';
import { doc, SCHEMA } from './testing/documents.js';

describe('averageEvaluations', () => {
  it('averages micro and macro figures over folds, per type over the folds where the type was seen', () => {
    const g1 = [doc(5, [[0, 1, 'Per']])];
    const fold1 = evaluate(g1, g1, SCHEMA); // NER: Per 100/100/100
    const g2 = [doc(5, [[0, 1, 'Per']])];
    const p2 = [doc(5, [[0, 1, 'Per'], [2, 3, 'Org']])];
    const fold2 = evaluate(g2, p2, SCHEMA); // NER micro P 50 R 100 F1 66.67; Per 100s; Org 0s; macro 50/50/50
    const avg = averageEvaluations([fold1, fold2]).ner;
    expect(avg.micro.precision).toBeCloseTo(75, 6);
    expect(avg.micro.recall).toBeCloseTo(100, 6);
    expect(avg.micro.f1).toBeCloseTo((100 + 200 / 3) / 2, 6);
    expect(avg.macro.f1).toBeCloseTo(75, 6);
    expect(avg.perType.Per).toMatchObject({ precision: 100, recall: 100, f1: 100, support: 2 });
    expect(avg.perType.Org).toMatchObject({ precision: 0, f1: 0, support: 0, fp: 1 });
    expect(avg.micro).toMatchObject({ tp: 2, fp: 1, fn: 0 });
  });

  it('rejects an empty list', () => {
    expect(() => averageEvaluations([])).toThrow(EvaluationInputError);
  });
});
