import { describe, expect, it } from 'vitest';
import { createRng, type Document } from '@spanrel/datasets';
import { TINY_SCHEMA } from '../testing/tiny-corpus.js';
import { allSpansBatch, sampleSpertBatch } from './training-batch.js';

const doc: Document = {
  id: 'd0',
  tokens: ['Ada', 'Brandt', 'and', 'her', 'brother', 'Hugo', 'work', 'for', 'Kestrel', 'Labs', '.'],
  entities: [
    { type: 'Person', start: 0, end: 2 },
    { type: 'Person', start: 5, end: 6 },
    { type: 'Organization', start: 8, end: 10 },
  ],
  relations: [
    { type: 'Sibling_Of', head: 0, tail: 1 },
    { type: 'Work_For', head: 0, tail: 2 },
    { type: 'Work_For', head: 1, tail: 2 },
  ],
};

describe('sampleSpertBatch', () => {
  it('puts the gold entities first, then N_e negative spans of width <= maxWidth that are not entities', () => {
    const batch = sampleSpertBatch([doc], TINY_SCHEMA, { strategy: 'spert', negativeEntities: 7, negativeRelations: 100, maxWidth: 3 }, createRng(1));
    const spans = batch.entitySpans[0];
    expect(spans.slice(0, 3)).toEqual([[0, 2], [5, 6], [8, 10]]);
    expect(batch.entityLabels[0]).toEqual([1, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    const gold = new Set(['0:2', '5:6', '8:10']);
    for (const [s, e] of spans.slice(3)) {
      expect(e - s).toBeGreaterThanOrEqual(1);
      expect(e - s).toBeLessThanOrEqual(3);
      expect(gold.has(`${s}:${e}`)).toBe(false);
    }
    expect(new Set(spans.slice(3).map(([s, e]) => `${s}:${e}`)).size).toBe(7);
  });

  it('groups gold relations by pair and draws strong negatives from gold x gold, never the reverse of a symmetric one', () => {
    const batch = sampleSpertBatch([doc], TINY_SCHEMA, { strategy: 'spert', negativeEntities: 0, negativeRelations: 100, maxWidth: 10 }, createRng(2));
    const pairs = batch.relationPairs[0];
    expect(pairs.slice(0, 3)).toEqual([[0, 1], [0, 2], [1, 2]]);
    expect(batch.relationTypes[0].slice(0, 3)).toEqual([[2], [0], [0]]);
    // Ordered pairs of distinct gold entities: 6; minus the 3 gold ones and the reverse (1, 0) of the symmetric Sibling_Of.
    const negatives = pairs.slice(3).map(([a, b]) => `${a}:${b}`).sort();
    expect(negatives).toEqual(['2:0', '2:1']);
    expect(batch.relationTypes[0].slice(3)).toEqual([[], []]);
  });

  it('is reproducible from the generator seed', () => {
    const options = { strategy: 'spert', negativeEntities: 5, negativeRelations: 5, maxWidth: 10 } as const;
    expect(sampleSpertBatch([doc], TINY_SCHEMA, options, createRng(9))).toEqual(sampleSpertBatch([doc], TINY_SCHEMA, options, createRng(9)));
    expect(sampleSpertBatch([doc], TINY_SCHEMA, options, createRng(9))).not.toEqual(sampleSpertBatch([doc], TINY_SCHEMA, options, createRng(10)));
  });

  it('names the document and field of an undeclared type', () => {
    const bad = { ...doc, entities: [...doc.entities, { type: 'Weapon', start: 2, end: 3 }] };
    expect(() => sampleSpertBatch([bad], TINY_SCHEMA, { strategy: 'spert', negativeEntities: 1, negativeRelations: 1, maxWidth: 10 }, createRng(1))).toThrow(
      /document d0: entities\[3\] has type "Weapon"/,
    );
  });
});

describe('allSpansBatch', () => {
  it('labels every span up to the max width like a naive loop over the gold entities', () => {
    const batch = allSpansBatch([doc], TINY_SCHEMA, 4);
    const spans = batch.spans[0];
    const expected: [number, number][] = [];
    for (let s = 0; s < doc.tokens.length; s++) for (let e = s + 1; e <= Math.min(doc.tokens.length, s + 4); e++) expected.push([s, e]);
    expect(spans).toEqual(expected);
    spans.forEach(([s, e], i) => {
      const gold = doc.entities.find((x) => x.start === s && x.end === e);
      expect(batch.labels[0][i]).toBe(gold ? 1 + TINY_SCHEMA.entities.findIndex((t) => t.name === gold.type) : 0);
    });
    const position = (s: number, e: number) => spans.findIndex(([a, b]) => a === s && b === e);
    expect(batch.goldSpans[0]).toEqual([position(0, 2), position(5, 6), position(8, 10)]);
    expect(batch.goldRelations[0]).toEqual([
      { head: position(0, 2), tail: position(5, 6), types: [2] },
      { head: position(0, 2), tail: position(8, 10), types: [0] },
      { head: position(5, 6), tail: position(8, 10), types: [0] },
    ]);
  });

  it('leaves out entities wider than the max width, with their relations', () => {
    const batch = allSpansBatch([doc], TINY_SCHEMA, 1);
    expect(batch.labels[0].filter((l) => l !== 0)).toEqual([1]); // only "Hugo" (5, 6) fits
    expect(batch.goldRelations[0]).toEqual([]);
  });
});
