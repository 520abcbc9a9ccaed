import type { TypeSchema } from '@spanrel/datasets';
import { describe, expect, it } from 'vitest';
import { entitiesOverlap, evaluate } from './index.js';
import { doc } from './testing/documents.js';

const ADE: TypeSchema = {
  entities: [
    { name: 'Adverse-Effect', short: 'AE', verbose: 'Adverse effect' },
    { name: 'Drug', short: 'Drug', verbose: 'Drug' },
  ],
  relations: [{ name: 'Adverse-Effect', short: 'AE', verbose: 'Adverse effect', symmetric: false }],
};
const AE = 'Adverse-Effect';

describe('entitiesOverlap', () => {
  const e = (start: number, end: number, type = 'Drug') => ({ start, end, type });
  it('is true for nested and crossing spans, false for disjoint, adjacent and identical tuples', () => {
    expect(entitiesOverlap(e(0, 2), e(0, 1))).toBe(true); // nested, same start
    expect(entitiesOverlap(e(0, 3), e(2, 5))).toBe(true); // crossing
    expect(entitiesOverlap(e(0, 2), e(2, 4))).toBe(false); // adjacent
    expect(entitiesOverlap(e(0, 2), e(5, 6))).toBe(false);
    expect(entitiesOverlap(e(1, 2), e(1, 2))).toBe(false); // the same tuple (a duplicate)
    expect(entitiesOverlap(e(1, 2, AE), e(1, 2, 'Drug'))).toBe(true); // same span, other type
  });
});

describe('evaluate with removeOverlapping (ADE "without overlap")', () => {
  // gold: "codeine intoxication" [0,2) AE contains "codeine" [0,1) Drug, related;
  //       "rash" [5,6) AE -- "aspirin" [8,9) Drug, related.
  const gold = [doc(12, [[0, 2, AE], [0, 1, 'Drug'], [5, 6, AE], [8, 9, 'Drug']], [[AE, 0, 1], [AE, 2, 3]])];
  // pred: the same, plus [8,10) Drug which overlaps [8,9) in the prediction only.
  const pred = [
    doc(12, [[0, 2, AE], [0, 1, 'Drug'], [5, 6, AE], [8, 9, 'Drug'], [8, 10, 'Drug']], [[AE, 0, 1], [AE, 2, 3]]),
  ];

  it('keeps everything by default', () => {
    const r = evaluate(gold, pred, ADE);
    expect(r.ner.micro).toMatchObject({ tp: 4, fp: 1, fn: 0 });
    expect(r.rePlus.micro).toMatchObject({ tp: 2, fp: 0, fn: 0 });
  });

  it('drops, per side, entities overlapping another entity and relations whose arguments overlap', () => {
    const r = evaluate(gold, pred, ADE, { removeOverlapping: true });
    // gold keeps [5,6) AE and [8,9) Drug; pred keeps only [5,6) AE ([8,9) and [8,10) overlap each other)
    expect(r.ner.perType[AE]).toMatchObject({ tp: 1, fp: 0, fn: 0, support: 1 });
    expect(r.ner.perType.Drug).toMatchObject({ tp: 0, fp: 0, fn: 1, support: 1 });
    // the codeine relation is gone on both sides; rash -> aspirin stays (its arguments do not overlap each other)
    expect(r.rePlus.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.re.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('keeps exact duplicates but drops the same span with two types', () => {
    const g = [doc(4, [[1, 2, AE], [1, 2, AE], [3, 4, AE], [3, 4, 'Drug']])];
    const r = evaluate(g, g, ADE, { removeOverlapping: true });
    // [1,2) AE counted once; both [3,4) entities are removed
    expect(r.ner.micro).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(Object.keys(r.ner.perType)).toEqual([AE]);
  });
});
