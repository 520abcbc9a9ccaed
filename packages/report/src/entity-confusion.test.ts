import { evaluate } from '@spanrel/eval';
import { describe, expect, it } from 'vitest';
import { entityConfusion, NO_ENTITY } from './entity-confusion.js';
import { GOLD, PRED, SCHEMA } from './testing/fixtures.js';

describe('entityConfusion', () => {
  it('counts exact spans as (gold, predicted) and the rest against "no entity"', () => {
    const { labels, counts } = entityConfusion(GOLD, PRED, SCHEMA);
    expect(labels).toEqual(['Peop', 'Loc', 'Org', NO_ENTITY]);
    // By hand: Peop 4x right; Oslo right, Porto Loc->Peop, Ghent missed; Kestrel Labs [4,6) missed
    // and Kestrel [4,5) spurious (a boundary error); Monday spurious.
    expect(counts).toEqual({
      Peop: { Peop: 4, Loc: 0, Org: 0, [NO_ENTITY]: 0 },
      Loc: { Peop: 1, Loc: 1, Org: 0, [NO_ENTITY]: 1 },
      Org: { Peop: 0, Loc: 0, Org: 0, [NO_ENTITY]: 1 },
      [NO_ENTITY]: { Peop: 0, Loc: 0, Org: 2, [NO_ENTITY]: 0 },
    });
  });

  it('agrees with the NER scores: diagonal = TP, the rest of a row = FN, of a column = FP', () => {
    const { counts } = entityConfusion(GOLD, PRED, SCHEMA);
    const ner = evaluate(GOLD, PRED, SCHEMA).ner.perType;
    for (const type of ['Peop', 'Loc', 'Org']) {
      const row = Object.entries(counts[type]!).filter(([p]) => p !== type).reduce((s, [, n]) => s + n, 0);
      const column = Object.keys(counts).filter((g) => g !== type).reduce((s, g) => s + counts[g]![type]!, 0);
      expect([counts[type]![type], row, column]).toEqual([ner[type]!.tp, ner[type]!.fn, ner[type]!.fp]);
    }
  });
});
