import { describe, expect, it } from 'vitest';
import { analyseSentence, errorCount } from './error-analysis.js';
import { GOLD, PRED, SCHEMA } from './testing/fixtures.js';

const verdicts = (marks: { verdict: string }[]) => marks.map((m) => m.verdict);

describe('analyseSentence', () => {
  it('finds nothing wrong in a correct sentence', () => {
    const a = analyseSentence(GOLD[0]!, PRED[0]!, SCHEMA);
    expect(errorCount(a)).toBe(0);
    expect(verdicts(a.pred.entities)).toEqual(['correct', 'correct']);
    expect(verdicts(a.gold.relations)).toEqual(['correct']);
  });

  it('tells a wrong boundary (entity and the relation to it) from a wrong type', () => {
    const a = analyseSentence(GOLD[1]!, PRED[1]!, SCHEMA);
    expect(a.errors).toEqual({ 'false-positive': 0, 'false-negative': 0, 'wrong-type': 1, 'wrong-boundary': 2 });
    // pred: Peop [0,2) ok, Org [4,5) boundary (gold [4,6)), Peop [7,8) type (gold Loc)
    expect(verdicts(a.pred.entities)).toEqual(['correct', 'wrong-boundary', 'wrong-type']);
    expect(verdicts(a.gold.entities)).toEqual(['correct', 'wrong-boundary', 'wrong-type']);
    expect(a.pred.entities[2]!.note).toBe('gold: Loc [7, 8)');
    expect(a.gold.entities[1]!.note).toBe('predicted: Org [4, 5)');
    expect(verdicts(a.pred.relations)).toEqual(['wrong-boundary']);
    expect(verdicts(a.gold.relations)).toEqual(['wrong-boundary']);
  });

  it('reports a missed entity as a false negative and a spurious one as a false positive', () => {
    const a = analyseSentence(GOLD[2]!, PRED[2]!, SCHEMA);
    expect(a.errors).toEqual({ 'false-positive': 1, 'false-negative': 1, 'wrong-type': 0, 'wrong-boundary': 0 });
    expect(verdicts(a.pred.entities)).toEqual(['false-positive']);
    expect(verdicts(a.gold.entities)).toEqual(['false-negative']);
  });

  it('takes a symmetric relation in either order as correct, an ordered one not', () => {
    expect(errorCount(analyseSentence(GOLD[3]!, PRED[3]!, SCHEMA))).toBe(0);
    const swapped = { ...GOLD[0]!, relations: [{ head: 1, tail: 0, type: 'Live_In' }] };
    const a = analyseSentence(GOLD[0]!, swapped, SCHEMA);
    // Same two spans, another direction: not the gold relation, and not a type error either.
    expect(a.errors).toEqual({ 'false-positive': 1, 'false-negative': 1, 'wrong-type': 0, 'wrong-boundary': 0 });
  });

  it('calls a relation on the right spans with another type a wrong type, and counts duplicates once', () => {
    const pred = { ...GOLD[1]!, relations: [{ head: 0, tail: 1, type: 'Live_In' }, { head: 0, tail: 1, type: 'Live_In' }] };
    const a = analyseSentence(GOLD[1]!, pred, SCHEMA);
    expect(a.errors).toEqual({ 'false-positive': 0, 'false-negative': 0, 'wrong-type': 1, 'wrong-boundary': 0 });
    expect(a.pred.relations).toHaveLength(1);
    expect(a.pred.relations[0]!.note).toBe('gold: Work_For [0, 2) -> [4, 6)');
  });
});
