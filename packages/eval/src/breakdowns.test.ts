import { describe, expect, it } from 'vitest';
import {
  ARGUMENT_DISTANCE_BOUNDS,
  bucketLabels,
  bucketOf,
  ENTITY_LENGTH_BOUNDS,
  evaluateBreakdowns,
  findBucket,
  EvaluationInputError,
  SENTENCE_LENGTH_BOUNDS,
} from './index.js';
import { doc, SCHEMA } from './testing/documents.js';

describe('buckets', () => {
  it('uses the buckets of the STSN and two-phase papers', () => {
    expect(bucketLabels(ENTITY_LENGTH_BOUNDS)).toEqual(['1-2', '3-4', '5-6', '7-8', '9-10', '>=11']);
    expect(bucketLabels(SENTENCE_LENGTH_BOUNDS)).toEqual(['0-19', '20-34', '35-49', '>=50']);
    expect(bucketLabels(ARGUMENT_DISTANCE_BOUNDS)).toEqual(['0', '1-3', '4-6', '7-9', '>=10']);
  });

  it('puts values on the bounds into the right bucket', () => {
    expect([1, 2, 3, 10, 11, 40].map((v) => bucketOf(v, ENTITY_LENGTH_BOUNDS))).toEqual(['1-2', '1-2', '3-4', '9-10', '>=11', '>=11']);
    expect([0, 19, 20, 34, 35, 49, 50].map((v) => bucketOf(v, SENTENCE_LENGTH_BOUNDS))).toEqual(
      ['0-19', '0-19', '20-34', '20-34', '35-49', '35-49', '>=50'],
    );
    expect([0, 1, 3, 4, 9, 10].map((v) => bucketOf(v, ARGUMENT_DISTANCE_BOUNDS))).toEqual(['0', '1-3', '1-3', '4-6', '7-9', '>=10']);
  });

  it('rejects bad bounds and values below the first bound', () => {
    expect(() => bucketLabels([3, 1])).toThrow(EvaluationInputError);
    expect(() => bucketLabels([])).toThrow(/ascending integers/);
    expect(() => bucketOf(0, ENTITY_LENGTH_BOUNDS)).toThrow(/below the first bucket bound/);
  });
});

describe('evaluateBreakdowns', () => {
  // doc A, 25 tokens (sentence bucket 20-34): Per [0,1) len 1, Org [2,5) len 3, Loc [10,21) len 11;
  //   Work(Per, Org): 1 word between -> 1-3; Near(Org, Loc): 5 words between -> 4-6.
  // doc B, 3 tokens (0-19): Per [0,1), Org [1,3); Work(Per, Org): adjacent -> 0.
  const gold = [
    doc(25, [[0, 1, 'Per'], [2, 5, 'Org'], [10, 21, 'Loc']], [['Work', 0, 1], ['Near', 1, 2]]),
    doc(3, [[0, 1, 'Per'], [1, 3, 'Org']], [['Work', 0, 1]]),
  ];
  // pred A: Org shifted to [2,4) (len 2); Work(Per, shifted Org) (distance 1); spurious Near(Loc, Per):
  //   9 words between -> 7-9. pred B: nothing.
  const pred = [
    doc(25, [[0, 1, 'Per'], [2, 4, 'Org'], [10, 21, 'Loc']], [['Work', 0, 1], ['Near', 2, 0]]),
    doc(3, []),
  ];
  const b = evaluateBreakdowns(gold, pred, SCHEMA);

  it('NER by entity length: FPs by the predicted span, FNs by the gold span', () => {
    const l = b.ner.entityLength;
    expect(l.map((x) => x.bucket)).toEqual(['1-2', '3-4', '5-6', '7-8', '9-10', '>=11']);
    // 1-2: tp Per[0,1) (A), fp Org[2,4), fn Per[0,1) (B), fn Org[1,3) (B) -> P 50, R 33.33, F1 40
    expect(findBucket(l, '1-2')).toMatchObject({ tp: 1, fp: 1, fn: 2, support: 3 });
    expect(findBucket(l, '1-2').precision).toBeCloseTo(50, 6);
    expect(findBucket(l, '1-2').recall).toBeCloseTo(100 / 3, 6);
    expect(findBucket(l, '1-2').f1).toBeCloseTo(40, 6);
    expect(findBucket(l, '3-4')).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1, tp: 0, fp: 0, fn: 1 });
    expect(findBucket(l, '>=11')).toMatchObject({ precision: 100, recall: 100, f1: 100, support: 1, tp: 1, fp: 0, fn: 0 });
    expect(findBucket(l, '5-6')).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0, tp: 0, fp: 0, fn: 0 });
  });

  it('NER and RE by sentence length', () => {
    // A: tp 2, fp 1, fn 1 -> 66.67 each; B: fn 2
    expect(findBucket(b.ner.sentenceLength, '20-34')).toMatchObject({ tp: 2, fp: 1, fn: 1, support: 3 });
    expect(findBucket(b.ner.sentenceLength, '20-34').f1).toBeCloseTo(200 / 3, 6);
    expect(findBucket(b.ner.sentenceLength, '0-19')).toMatchObject({ tp: 0, fp: 0, fn: 2, support: 2, f1: 0 });
    // RE in A: fp Work (shifted arg), fp Near (spurious), fn Work, fn Near; B: fn Work
    expect(findBucket(b.re.sentenceLength, '20-34')).toMatchObject({ tp: 0, fp: 2, fn: 2, support: 2 });
    expect(findBucket(b.re.sentenceLength, '0-19')).toMatchObject({ tp: 0, fp: 0, fn: 1, support: 1 });
    expect(findBucket(b.rePlus.sentenceLength, '>=50')).toMatchObject({ tp: 0, fp: 0, fn: 0, support: 0 });
  });

  it('RE by argument distance (words strictly between the arguments)', () => {
    const d = b.re.argumentDistance;
    expect(findBucket(d, '0')).toMatchObject({ tp: 0, fp: 0, fn: 1, support: 1 }); // B, adjacent
    expect(findBucket(d, '1-3')).toMatchObject({ tp: 0, fp: 1, fn: 1, support: 1 }); // A, Work
    expect(findBucket(d, '4-6')).toMatchObject({ tp: 0, fp: 0, fn: 1, support: 1 }); // A, Near
    expect(findBucket(d, '7-9')).toMatchObject({ tp: 0, fp: 1, fn: 0, support: 0 }); // A, spurious Near
    expect(findBucket(d, '>=10')).toMatchObject({ tp: 0, fp: 0, fn: 0, support: 0 });
  });

  it('gives a correct relation its distance in both tasks, and accepts custom bounds', () => {
    const g = [doc(12, [[0, 1, 'Per'], [4, 5, 'Org']], [['Work', 0, 1]])]; // 3 words between
    const r = evaluateBreakdowns(g, g, SCHEMA, { argumentDistanceBounds: [0, 3, 4] });
    expect(r.rePlus.argumentDistance.map((x) => [x.bucket, x.min, x.max])).toEqual([['0-2', 0, 2], ['3', 3, 3], ['>=4', 4, null]]);
    expect(findBucket(r.rePlus.argumentDistance, '3')).toMatchObject({ tp: 1, precision: 100, recall: 100, f1: 100 });
    expect(findBucket(r.re.argumentDistance, '0-2')).toMatchObject({ tp: 0, fp: 0, fn: 0 });
  });
});
