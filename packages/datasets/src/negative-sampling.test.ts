import { describe, expect, it } from 'vitest';
import { countNegatives, negativeBudget, negativeCandidates, sampleNegatives } from './negative-sampling.js';
import { createRng } from './rng.js';
import type { Document, TypeSchema } from './types.js';

const schema: TypeSchema = {
  entities: [],
  relations: [
    { name: 'LIVE', short: 'L', verbose: 'L', symmetric: false },
    { name: 'SIB', short: 'S', verbose: 'S', symmetric: true },
  ],
};

const small: Document = {
  id: 's',
  tokens: ['Ann', 'lives', 'in', 'New', 'York'],
  entities: [
    { type: 'PER', start: 0, end: 1 },
    { type: 'LOC', start: 3, end: 5 },
  ],
  relations: [{ type: 'LIVE', head: 0, tail: 1 }],
};

/** Naive candidate sets, written as plain loops over all spans and all entity pairs. */
function naiveCandidates(doc: Document, maxWidth: number, symmetric: Set<string>) {
  const spans = new Set<string>();
  for (let s = 0; s < doc.tokens.length; s++) {
    for (let e = s + 1; e <= doc.tokens.length; e++) {
      if (e - s > maxWidth) continue;
      if (doc.entities.some((g) => g.start === s && g.end === e)) continue;
      spans.add(`${s},${e}`);
    }
  }
  const pairs = new Set<string>();
  const same = (a: number, b: number) => doc.entities[a].start === doc.entities[b].start && doc.entities[a].end === doc.entities[b].end;
  for (let i = 0; i < doc.entities.length; i++) {
    for (let j = 0; j < doc.entities.length; j++) {
      if (same(i, j)) continue;
      const related = doc.relations.some(
        (r) => (same(r.head, i) && same(r.tail, j)) || (symmetric.has(r.type) && same(r.head, j) && same(r.tail, i)),
      );
      if (!related) pairs.add(`${i},${j}`);
    }
  }
  return { spans, pairs };
}

function randomDoc(rng: ReturnType<typeof createRng>): Document {
  const n = 1 + rng.int(25);
  const entities = Array.from({ length: rng.int(6) }, () => {
    const start = rng.int(n);
    return { type: rng.next() < 0.5 ? 'A' : 'B', start, end: start + 1 + rng.int(Math.min(12, n - start)) };
  });
  const relations =
    entities.length < 2
      ? []
      : Array.from({ length: rng.int(4) }, () => ({ type: rng.next() < 0.5 ? 'LIVE' : 'SIB', head: rng.int(entities.length), tail: rng.int(entities.length) }));
  return { id: 'r', tokens: Array.from({ length: n }, (_, i) => `w${i}`), entities, relations };
}

describe('negativeCandidates', () => {
  it('counts a small sentence by hand', () => {
    const c = negativeCandidates(small);
    expect(c.entitySpans).toHaveLength(15 - 2); // 5 * 6 / 2 spans, minus the two gold ones
    expect(c.relationPairs).toEqual([[1, 0]]); // LOC -> PER is the only unrelated ordered pair
  });

  it('excludes the reverse of a symmetric relation and pairs with the same span', () => {
    const doc: Document = {
      ...small,
      entities: [...small.entities, { type: 'X', start: 0, end: 1 }],
      relations: [{ type: 'SIB', head: 0, tail: 1 }],
    };
    // Entity 2 has entity 0's span: (0,2), (2,0) are excluded, and (2,1) counts as related like (0,1).
    expect(negativeCandidates(doc, {}, schema).relationPairs).toEqual([]);
    expect(negativeCandidates(doc).relationPairs).toEqual([
      [1, 0],
      [1, 2],
    ]);
  });

  it('matches naive loops on random sentences', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 200; trial++) {
      const doc = randomDoc(rng);
      const maxWidth = 1 + rng.int(10);
      const c = negativeCandidates(doc, { maxWidth }, schema);
      const naive = naiveCandidates(doc, maxWidth, new Set(['SIB']));
      expect(new Set(c.entitySpans.map(([s, e]) => `${s},${e}`))).toEqual(naive.spans);
      expect(c.entitySpans).toHaveLength(naive.spans.size);
      expect(new Set(c.relationPairs.map(([a, b]) => `${a},${b}`))).toEqual(naive.pairs);
      expect(c.relationPairs).toHaveLength(naive.pairs.size);
    }
  });
});

describe('sampleNegatives', () => {
  it('uses SpERT budgets (100 / 100) capped by the candidates', () => {
    expect(negativeBudget(small)).toEqual({ entities: 100, relations: 100 });
    const s = sampleNegatives(small, 1);
    expect(s.entitySpans).toHaveLength(13);
    expect(s.relationPairs).toEqual([[1, 0]]);
    const few = sampleNegatives(small, 1, { negativeEntities: 4, negativeRelations: 0 });
    expect(few.entitySpans).toHaveLength(4);
    expect(few.relationPairs).toEqual([]);
  });

  it('uses k x gold counts for the ratio strategy (Ji et al. 2020)', () => {
    expect(negativeBudget(small, { strategy: 'ratio' })).toEqual({ entities: 60, relations: 30 });
    expect(countNegatives(small, { strategy: 'ratio', ratio: 3 })).toEqual({ entities: 6, relations: 1 });
    const noRelations: Document = { ...small, relations: [] };
    // No gold relations: no relation negatives, even though unrelated pairs exist.
    expect(sampleNegatives(noRelations, 2, { strategy: 'ratio' }).relationPairs).toEqual([]);
    const noEntities: Document = { ...small, entities: [], relations: [] };
    expect(sampleNegatives(noEntities, 2, { strategy: 'ratio' }).entitySpans).toEqual([]);
  });

  it('draws distinct candidates, as many as countNegatives says, reproducibly by seed', () => {
    const rng = createRng(8);
    for (let trial = 0; trial < 100; trial++) {
      const doc = randomDoc(rng);
      const options = trial % 2 === 0 ? { negativeEntities: 7, negativeRelations: 2 } : { strategy: 'ratio' as const, ratio: 2 };
      const candidates = negativeCandidates(doc, {}, schema);
      const spanKeys = new Set(candidates.entitySpans.map(([s, e]) => `${s},${e}`));
      const pairKeys = new Set(candidates.relationPairs.map(([a, b]) => `${a},${b}`));
      const sample = sampleNegatives(doc, trial, options, schema);
      const count = countNegatives(doc, options, schema);
      expect(sample.entitySpans).toHaveLength(count.entities);
      expect(sample.relationPairs).toHaveLength(count.relations);
      const sk = sample.entitySpans.map(([s, e]) => `${s},${e}`);
      expect(new Set(sk).size).toBe(sk.length);
      expect(sk.every((k) => spanKeys.has(k))).toBe(true);
      expect(sample.relationPairs.every(([a, b]) => pairKeys.has(`${a},${b}`))).toBe(true);
      expect(sampleNegatives(doc, trial, options, schema)).toEqual(sample);
    }
  });

  it('draws different spans with different seeds, covering the candidates over many draws', () => {
    const doc: Document = { id: 'l', tokens: Array.from({ length: 30 }, (_, i) => `w${i}`), entities: [], relations: [] };
    const a = sampleNegatives(doc, 1, { negativeEntities: 10 });
    const b = sampleNegatives(doc, 2, { negativeEntities: 10 });
    expect(a.entitySpans).not.toEqual(b.entitySpans);
    const rng = createRng(4);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) for (const [s, e] of sampleNegatives(doc, rng, { negativeEntities: 10 }).entitySpans) seen.add(`${s},${e}`);
    expect(seen.size).toBe(negativeCandidates(doc).entitySpans.length); // 30 * 10 - 45 = 255 spans of width <= 10
    expect(seen.size).toBe(255);
  });
});
