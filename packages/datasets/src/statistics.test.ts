import { describe, expect, it } from 'vitest';
import { documentKeyFromIdPrefix, groupIntoDocuments } from './document-groups.js';
import { formatStatistics } from './statistics-format.js';
import { ANY_TYPE_CLASS, computeStatistics, NONE_CLASS } from './statistics.js';
import type { Document, TypeSchema } from './types.js';

const schema: TypeSchema = {
  entities: ['PER', 'ORG', 'LOC', 'MISC'].map((name) => ({ name, short: name, verbose: name })),
  relations: ['R1', 'R2'].map((name) => ({ name, short: name, verbose: name, symmetric: false })),
};

// Two sentences of document "D" and one sentence on its own.
const docs: Document[] = [
  {
    id: 'D:0',
    docKey: 'D',
    sentenceIndex: 0,
    tokens: ['a', 'b', 'c', 'd'],
    entities: [
      { type: 'PER', start: 0, end: 2 }, // crosses the next one
      { type: 'ORG', start: 1, end: 3 },
      { type: 'LOC', start: 3, end: 4 },
    ],
    relations: [
      { type: 'R1', head: 0, tail: 2 },
      { type: 'R2', head: 1, tail: 2 },
    ],
  },
  {
    id: 'D:1',
    docKey: 'D',
    sentenceIndex: 1,
    tokens: ['e', 'f', 'g'],
    entities: [
      { type: 'PER', start: 0, end: 3 }, // contains the next one; wider than 2
      { type: 'LOC', start: 1, end: 2 },
    ],
    relations: [{ type: 'R1', head: 0, tail: 1 }],
  },
  { id: 'x', tokens: ['h', 'i'], entities: [], relations: [] },
];

describe('computeStatistics', () => {
  const stats = computeStatistics(docs, schema, {
    maxWidth: 2,
    coverageWidths: [2, 1],
    sampling: { negativeEntities: 3, negativeRelations: 1 },
  });

  it('counts sizes, types, widths and overlap (hand-computed)', () => {
    expect([stats.documents, stats.sentences, stats.tokens, stats.longestSentence]).toEqual([2, 3, 9, 4]);
    expect([stats.entities, stats.relations]).toEqual([5, 3]);
    expect(stats.entityTypeCounts).toEqual({ PER: 2, ORG: 1, LOC: 2, MISC: 0 });
    expect(Object.keys(stats.entityTypeCounts)).toEqual(['PER', 'ORG', 'LOC', 'MISC']);
    expect(stats.relationTypeCounts).toEqual({ R1: 2, R2: 1 });
    expect(stats.entityWidths).toEqual([0, 2, 2, 1]);
    expect(stats.overlap).toEqual({ nestedPairs: 1, crossingPairs: 1, sentencesWithOverlap: 2 });
    expect(stats.entitiesLongerThanMaxWidth).toBe(1);
  });

  it('builds the span-coverage table (hand-computed)', () => {
    const rows = stats.spanCoverage.map((r) => [r.policy, r.spans, r.entitiesCovered, r.relationsCovered]);
    expect(rows).toEqual([
      ['all spans in the document', 28 + 3, 5, 3], // document D has 7 words, the other 2
      ['only spans within a sentence', 10 + 6 + 3, 5, 3],
      ['+ max width 2', 7 + 5 + 3, 4, 2], // the 3-word PER and its relation are lost
      ['+ max width 1', 4 + 3 + 2, 2, 0],
    ]);
    expect(stats.spanCoverage[2].entitiesCoveredPercent).toBeCloseTo(80);
    expect(stats.spanCoverage[2].relationsCoveredPercent).toBeCloseTo(200 / 3);
  });

  it('counts sampled negatives and the imbalance per phase (hand-computed)', () => {
    // Entity negatives: min(3, 4) + min(3, 4) + min(3, 3); relation negatives: 1 + 1 + 0.
    expect(stats.entityImbalance.counts).toEqual({ PER: 2, ORG: 1, LOC: 2, MISC: 0, [NONE_CLASS]: 9 });
    expect(stats.entityImbalance.singlePhase).toEqual({ ratio: 9, most: NONE_CLASS, least: 'ORG' });
    expect(stats.entityImbalance.phaseOne).toEqual({ ratio: 9 / 5, most: NONE_CLASS, least: ANY_TYPE_CLASS });
    expect(stats.entityImbalance.phaseTwo).toEqual({ ratio: 2, most: 'PER', least: 'ORG' });
    expect(stats.relationImbalance.counts[NONE_CLASS]).toBe(2);
    expect(stats.relationImbalance.singlePhase?.ratio).toBe(2);
    expect(stats.relationImbalance.phaseOne).toEqual({ ratio: 1.5, most: ANY_TYPE_CLASS, least: NONE_CLASS });
  });

  it('treats each sentence as a document without docKey, and groups by id prefix on request', () => {
    const bare = docs.map(({ docKey: _k, sentenceIndex: _s, ...rest }) => rest);
    expect(computeStatistics(bare).documents).toBe(3);
    expect(computeStatistics(bare).spanCoverage[0].spans).toBe(10 + 6 + 3);
    const byPrefix = computeStatistics(bare, undefined, { documentKey: documentKeyFromIdPrefix(':') });
    expect(byPrefix.documents).toBe(2);
    expect(groupIntoDocuments(bare, documentKeyFromIdPrefix(':')).map((g) => g.map((d) => d.id))).toEqual([['D:0', 'D:1'], ['x']]);
  });

  it('handles an empty corpus', () => {
    const empty = computeStatistics([]);
    expect(empty.sentences).toBe(0);
    expect(empty.spanCoverage[0].entitiesCoveredPercent).toBeNull();
    expect(empty.entityImbalance.singlePhase).toBeNull();
    expect(formatStatistics(empty)).toContain('sentences');
  });
});

describe('formatStatistics', () => {
  it('prints the tables with the computed numbers', () => {
    const stats = computeStatistics(docs, schema, { maxWidth: 2, coverageWidths: [2, 1], sampling: { negativeEntities: 3, negativeRelations: 1 } });
    const text = formatStatistics(stats);
    expect(text).toMatch(/entities longer than 2 words\s+1\n/);
    expect(text).toMatch(/\+ max width 2\s+15\s+80\.00\s+66\.67\n/);
    expect(text).toMatch(/NER\s+1 : 9\.0\s+1 : 1\.8\s+1 : 2\.0\n/);
    expect(text).toMatch(/MISC\s+0\s+0\.0\n/);
  });
});
