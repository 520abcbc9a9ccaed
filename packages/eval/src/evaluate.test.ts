import { describe, expect, it } from 'vitest';
import { evaluate, EvaluationInputError } from './index.js';
import { doc, SCHEMA } from './testing/documents.js';

// Every expected figure below is computed by hand in the comment next to it.

describe('evaluate: NER', () => {
  it('scores a perfect prediction 100 everywhere', () => {
    const gold = [doc(6, [[0, 2, 'Per'], [3, 4, 'Org']], [['Work', 0, 1]])];
    const r = evaluate(gold, gold, SCHEMA);
    for (const task of [r.ner, r.re, r.rePlus]) {
      expect(task.micro).toMatchObject({ precision: 100, recall: 100, f1: 100 });
      expect(task.macro).toEqual({ precision: 100, recall: 100, f1: 100 });
    }
    expect(r.ner.perType.Per).toEqual({ precision: 100, recall: 100, f1: 100, support: 1, tp: 1, fp: 0, fn: 0 });
  });

  it('counts a wrong type as FP + FN, a shifted boundary as FP + FN, and spurious tuples as FP', () => {
    const gold = [doc(10, [[0, 2, 'Per'], [3, 4, 'Org'], [5, 6, 'Loc']])];
    const pred = [doc(10, [[0, 2, 'Per'], [3, 4, 'Loc'], [5, 7, 'Loc'], [8, 9, 'Per']])];
    const r = evaluate(gold, pred, SCHEMA).ner;
    // Per: tp 1 ([0,2)), fp 1 (spurious [8,9)), fn 0 -> P 50, R 100, F1 2*50*100/150 = 66.667
    expect(r.perType.Per).toMatchObject({ tp: 1, fp: 1, fn: 0, support: 1 });
    expect(r.perType.Per!.precision).toBeCloseTo(50, 6);
    expect(r.perType.Per!.recall).toBeCloseTo(100, 6);
    expect(r.perType.Per!.f1).toBeCloseTo(200 / 3, 6);
    // Org: the gold [3,4) Org was predicted as Loc -> fn 1, nothing predicted -> all 0
    expect(r.perType.Org).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, tp: 0, fp: 0, fn: 1 });
    // Loc: fp 2 ([3,4) Loc wrong type, [5,7) shifted), fn 1 ([5,6))
    expect(r.perType.Loc).toEqual({ precision: 0, recall: 0, f1: 0, support: 1, tp: 0, fp: 2, fn: 1 });
    // micro: tp 1, fp 3, fn 2 -> P 25, R 33.333, F1 2/(2+5) = 28.571
    expect(r.micro).toMatchObject({ tp: 1, fp: 3, fn: 2 });
    expect(r.micro.precision).toBeCloseTo(25, 6);
    expect(r.micro.recall).toBeCloseTo(100 / 3, 6);
    expect(r.micro.f1).toBeCloseTo(200 / 7, 6);
    // macro over Per, Org, Loc: P 50/3, R 100/3, F1 (200/3)/3
    expect(r.macro.precision).toBeCloseTo(50 / 3, 6);
    expect(r.macro.recall).toBeCloseTo(100 / 3, 6);
    expect(r.macro.f1).toBeCloseTo(200 / 9, 6);
    expect(Object.keys(r.perType)).toEqual(['Per', 'Org', 'Loc']); // schema order
  });

  it('treats tuples as sets per document: duplicates count once, the same tuple in two documents twice', () => {
    const gold = [doc(4, [[0, 1, 'Per'], [0, 1, 'Per']]), doc(4, [[0, 1, 'Per']])];
    const pred = [doc(4, [[0, 1, 'Per'], [0, 1, 'Per'], [2, 3, 'Org'], [2, 3, 'Org']]), doc(4, [])];
    const r = evaluate(gold, pred, SCHEMA).ner;
    // doc0: gold {Per[0,1)}, pred {Per[0,1), Org[2,3)} -> Per tp 1, Org fp 1; doc1: Per fn 1
    expect(r.perType.Per).toMatchObject({ tp: 1, fp: 0, fn: 1, support: 2 });
    expect(r.perType.Org).toMatchObject({ tp: 0, fp: 1, fn: 0, support: 0 });
    // micro: tp 1, fp 1, fn 1 -> 50 / 50 / 50
    expect(r.micro.precision).toBeCloseTo(50, 6);
    expect(r.micro.recall).toBeCloseTo(50, 6);
    expect(r.micro.f1).toBeCloseTo(50, 6);
  });

  it('macro-averages over types seen in gold or prediction only, including types seen only in prediction', () => {
    const gold = [doc(5, [[0, 1, 'Per']])];
    const pred = [doc(5, [[0, 1, 'Per'], [2, 3, 'Org']])];
    const r = evaluate(gold, pred, SCHEMA).ner;
    // Per: 100/100/100; Org (prediction only): P 0, R 0/0 = 0, F1 0; Loc unseen -> excluded
    expect(Object.keys(r.perType)).toEqual(['Per', 'Org']);
    expect(r.macro.precision).toBeCloseTo(50, 6);
    expect(r.macro.recall).toBeCloseTo(50, 6);
    expect(r.macro.f1).toBeCloseTo(50, 6);
    // micro: tp 1 fp 1 fn 0 -> P 50, R 100, F1 66.667
    expect(r.micro.precision).toBeCloseTo(50, 6);
    expect(r.micro.recall).toBeCloseTo(100, 6);
    expect(r.micro.f1).toBeCloseTo(200 / 3, 6);
  });

  it('computes macro F1 as the mean of per-type F1, not the F1 of macro P and R', () => {
    // Per: tp 1 fp 0 fn 3 -> P 100, R 25, F1 40; Org: tp 1 fp 3 fn 0 -> P 25, R 100, F1 40
    const gold = [doc(20, [[0, 1, 'Per'], [1, 2, 'Per'], [2, 3, 'Per'], [3, 4, 'Per'], [10, 11, 'Org']])];
    const pred = [doc(20, [[0, 1, 'Per'], [10, 11, 'Org'], [11, 12, 'Org'], [12, 13, 'Org'], [13, 14, 'Org']])];
    const r = evaluate(gold, pred, SCHEMA).ner;
    expect(r.macro.precision).toBeCloseTo(62.5, 6);
    expect(r.macro.recall).toBeCloseTo(62.5, 6);
    expect(r.macro.f1).toBeCloseTo(40, 6); // F1 of (62.5, 62.5) would be 62.5
  });

  it('scores empty predictions as 0 with the gold support, and empty gold + prediction as all 0', () => {
    const gold = [doc(6, [[0, 2, 'Per'], [3, 4, 'Org']], [['Work', 0, 1]])];
    const r = evaluate(gold, [doc(6, [])], SCHEMA);
    expect(r.ner.micro).toEqual({ precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 2 });
    expect(r.ner.perType.Org).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(r.rePlus.perType.Work).toMatchObject({ support: 1, fn: 1 });
    const empty = evaluate([doc(3, [])], [doc(3, [])], SCHEMA);
    expect(empty.ner).toEqual({
      micro: { precision: 0, recall: 0, f1: 0, tp: 0, fp: 0, fn: 0 },
      macro: { precision: 0, recall: 0, f1: 0 },
      perType: {},
    });
    expect(evaluate([], [], SCHEMA).re.micro.f1).toBe(0);
  });
});

describe('evaluate: relations', () => {
  // entities: 0 = Per [0,2), 1 = Org [3,4), 2 = Loc [5,6)
  const ents: Array<[number, number, string]> = [[0, 2, 'Per'], [3, 4, 'Org'], [5, 6, 'Loc']];

  it('counts a reversed relation of a directed type as FP + FN', () => {
    const gold = [doc(8, ents, [['Work', 0, 1]])];
    const pred = [doc(8, ents, [['Work', 1, 0]])];
    const r = evaluate(gold, pred, SCHEMA);
    expect(r.re.perType.Work).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(r.rePlus.perType.Work).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it('matches a reversed relation of a symmetric type, entity types moving with their spans', () => {
    const gold = [doc(8, ents, [['Near', 0, 2]])];
    const pred = [doc(8, ents, [['Near', 2, 0]])];
    const r = evaluate(gold, pred, SCHEMA);
    expect(r.re.perType.Near).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.rePlus.perType.Near).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    // same spans but the entity types swapped between them: not the same RE+ tuple
    const swapped = [doc(8, [[0, 2, 'Loc'], [3, 4, 'Org'], [5, 6, 'Per']], [['Near', 2, 0]])];
    const s = evaluate(gold, swapped, SCHEMA);
    expect(s.re.perType.Near).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(s.rePlus.perType.Near).toMatchObject({ tp: 0, fp: 1, fn: 1 });
  });

  it('a symmetric relation given in both directions counts once', () => {
    const gold = [doc(8, ents, [['Near', 0, 2]])];
    const pred = [doc(8, ents, [['Near', 0, 2], ['Near', 2, 0]])];
    expect(evaluate(gold, pred, SCHEMA).re.perType.Near).toMatchObject({ tp: 1, fp: 0, fn: 0 });
  });

  it('RE ignores argument entity types, RE+ requires them (taken from the same document)', () => {
    const gold = [doc(8, ents, [['Work', 0, 1]])];
    const pred = [doc(8, [[0, 2, 'Per'], [3, 4, 'Loc'], [5, 6, 'Loc']], [['Work', 0, 1]])];
    const r = evaluate(gold, pred, SCHEMA);
    expect(r.re.perType.Work).toMatchObject({ tp: 1, fp: 0, fn: 0 });
    expect(r.rePlus.perType.Work).toMatchObject({ tp: 0, fp: 1, fn: 1 });
    expect(r.ner.micro).toMatchObject({ tp: 2, fp: 1, fn: 1 });
  });

  it('counts a wrong relation type, a shifted argument, a spurious and a missing relation', () => {
    // gold: Work(0,1), Kill(0,2), Near(1,2)
    const gold = [doc(10, ents, [['Work', 0, 1], ['Kill', 0, 2], ['Near', 1, 2]])];
    // pred: Work(0,1) correct; Kill(0,2) predicted as Work; Near(1, [5,7)) shifted; Kill(1,0) spurious;
    // duplicate of Work(0,1)
    const predEnts: Array<[number, number, string]> = [[0, 2, 'Per'], [3, 4, 'Org'], [5, 6, 'Loc'], [5, 7, 'Loc']];
    const pred = [doc(10, predEnts, [['Work', 0, 1], ['Work', 0, 2], ['Near', 1, 3], ['Kill', 1, 0], ['Work', 0, 1]])];
    const r = evaluate(gold, pred, SCHEMA).re;
    // Work: tp 1, fp 1 (the mistyped Kill), fn 0 -> P 50 R 100 F1 66.667
    // Kill: tp 0, fp 1 (spurious), fn 1 (mistyped) -> 0 0 0
    // Near: tp 0, fp 1 (shifted), fn 1 -> 0 0 0
    expect(r.perType.Work).toMatchObject({ tp: 1, fp: 1, fn: 0, support: 1 });
    expect(r.perType.Kill).toMatchObject({ tp: 0, fp: 1, fn: 1, support: 1 });
    expect(r.perType.Near).toMatchObject({ tp: 0, fp: 1, fn: 1, support: 1 });
    // micro: tp 1 fp 3 fn 2 -> 25, 33.333, 28.571; macro: P 50/3, R 100/3, F1 (200/3)/3
    expect(r.micro.precision).toBeCloseTo(25, 6);
    expect(r.micro.recall).toBeCloseTo(100 / 3, 6);
    expect(r.micro.f1).toBeCloseTo(200 / 7, 6);
    expect(r.macro.precision).toBeCloseTo(50 / 3, 6);
    expect(r.macro.recall).toBeCloseTo(100 / 3, 6);
    expect(r.macro.f1).toBeCloseTo(200 / 9, 6);
  });

  it('returns plain JSON that survives a JSON round trip unchanged', () => {
    const gold = [doc(8, ents, [['Work', 0, 1]])];
    const pred = [doc(8, ents, [['Kill', 0, 1]])];
    const r = evaluate(gold, pred, SCHEMA);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });
});

describe('evaluate: input errors', () => {
  it('rejects a different number of documents', () => {
    expect(() => evaluate([doc(3, [])], [], SCHEMA)).toThrow(/gold has 1 documents but pred has 0/);
  });

  it('rejects documents whose tokens differ, naming the document index', () => {
    const shorter = doc(2, [], [], 'p');
    expect(() => evaluate([doc(3, []), doc(3, [])], [doc(3, []), shorter], SCHEMA)).toThrow(
      /document 1 .*"tokens" differs: gold has 3 tokens, pred has 2/,
    );
    const other = doc(3, []);
    other.tokens[2] = 'x';
    expect(() => evaluate([doc(3, [])], [other], SCHEMA)).toThrow(/document 0 .*tokens\[2\]/);
  });

  it('scores types the schema does not declare as types of their own, after the schema types', () => {
    const gold = [doc(3, [[0, 1, 'Per']], [])];
    const pred = [doc(3, [[0, 1, 'Drug'], [1, 2, 'Per']], [['Born', 0, 1]])];
    const r = evaluate(gold, pred, SCHEMA);
    expect(Object.keys(r.ner.perType)).toEqual(['Per', 'Drug']);
    expect(r.ner.perType.Drug).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.ner.micro.precision).toBeCloseTo(0, 6); // (0,1,Per) was not predicted; (1,2,Per) is spurious
    expect(r.re.perType.Born).toMatchObject({ support: 0, f1: 0 });
  });

  it('rejects out-of-range spans and bad relation indices, naming side, document and field', () => {
    const gold = [doc(3, [[0, 1, 'Per']])];
    expect(() => evaluate(gold, [doc(3, [[2, 4, 'Per']])], SCHEMA)).toThrow(EvaluationInputError);
    expect(() => evaluate(gold, [doc(3, [[2, 4, 'Per']])], SCHEMA)).toThrow(/pred document 0 .*entities\[0\]/);
    expect(() => evaluate(gold, [doc(3, [[1, 1, 'Per']])], SCHEMA)).toThrow(/entities\[0\] has span \[1, 1\)/);
    expect(() => evaluate([doc(3, [[0, 1, 'Per']], [['Work', 0, 1]])], gold, SCHEMA)).toThrow(
      /gold document 0 .*relations\[0\]\.tail = 1/,
    );
  });
});
