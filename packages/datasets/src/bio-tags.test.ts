import { describe, expect, it } from 'vitest';
import {
  bioTagsToEntities,
  decodeBioTags,
  entitiesToBioTags,
  entitiesToExtendedBioTags,
  extendedBioTagsToEntities,
  parseBioLabel,
} from './bio-tags.js';
import { DatasetError } from './errors.js';
import { createRng } from './rng.js';
import type { Entity } from './types.js';

const sortEntities = (es: Entity[]) => [...es].sort((a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));

describe('plain BIO', () => {
  it('encodes IOB2 by hand', () => {
    const entities: Entity[] = [
      { type: 'PER', start: 0, end: 2 },
      { type: 'PER', start: 2, end: 3 },
      { type: 'LOC', start: 4, end: 5 },
    ];
    expect(entitiesToBioTags(6, entities)).toEqual(['B-PER', 'I-PER', 'B-PER', 'O', 'B-LOC', 'O']);
  });

  it('decodes IOB2 and IOB1 to the same entities', () => {
    const expected = [
      { type: 'PER', start: 0, end: 2 },
      { type: 'PER', start: 2, end: 3 },
      { type: 'LOC', start: 4, end: 5 },
    ];
    expect(bioTagsToEntities(['B-PER', 'I-PER', 'B-PER', 'O', 'B-LOC', 'O'])).toEqual(expected);
    // IOB1: entities begin with I-, B- only separates two adjacent entities of one type.
    expect(bioTagsToEntities(['I-PER', 'I-PER', 'B-PER', 'O', 'I-LOC', 'O'])).toEqual(expected);
    // A type change inside an I- run begins a new entity.
    expect(bioTagsToEntities(['I-PER', 'I-LOC'])).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'LOC', start: 1, end: 2 },
    ]);
  });

  it('refuses overlapping entities, naming them', () => {
    const entities: Entity[] = [
      { type: 'AE', start: 0, end: 2 },
      { type: 'DRUG', start: 0, end: 1 },
    ];
    expect(() => entitiesToBioTags(3, entities)).toThrow(/entities\[1\] \[0, 1\) overlaps entities\[0\] \[0, 2\): plain BIO cannot encode overlapping entities/);
  });

  it('reports a malformed tag by position', () => {
    try {
      bioTagsToEntities(['O', 'X-PER', 'B-']);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DatasetError);
      expect((err as DatasetError).errors.map((e) => e.field)).toEqual(['tags[1]', 'tags[2]']);
    }
  });

  it('parses labels', () => {
    expect(parseBioLabel('B-Adverse-Effect')).toEqual({ prefix: 'B', type: 'Adverse-Effect' });
    expect(parseBioLabel('O')).toEqual({ prefix: 'O' });
    expect(parseBioLabel('o')).toBeUndefined();
  });
});

describe('extended BIO (STSN 4.1)', () => {
  it("tags the paper's example: the preceding entity first, the overlapping one after /", () => {
    // [[Codeine]Drug intoxication]AE in the neonate .
    const entities: Entity[] = [
      { type: 'DRUG', start: 0, end: 1 },
      { type: 'AE', start: 0, end: 2 },
    ];
    const tags = entitiesToExtendedBioTags(6, entities);
    expect(tags).toEqual(['B-AE/B-DRUG', 'I-AE', 'O', 'O', 'O', 'O']);
    expect(extendedBioTagsToEntities(tags)).toEqual(sortEntities(entities));
  });

  it('tags nested entities inside the preceding one and crossing ones with an O placeholder', () => {
    const nested: Entity[] = [
      { type: 'A', start: 0, end: 4 },
      { type: 'B', start: 1, end: 3 },
    ];
    expect(entitiesToExtendedBioTags(4, nested)).toEqual(['B-A', 'I-A/B-B', 'I-A/I-B', 'I-A']);
    const crossing: Entity[] = [
      { type: 'A', start: 0, end: 2 },
      { type: 'B', start: 1, end: 3 },
    ];
    expect(entitiesToExtendedBioTags(3, crossing)).toEqual(['B-A', 'I-A/B-B', 'O/I-B']);
    expect(extendedBioTagsToEntities(['B-A', 'I-A/B-B', 'O/I-B'])).toEqual(crossing);
  });

  it('keeps same-type nested and crossing pairs apart', () => {
    const nested: Entity[] = [
      { type: 'P', start: 0, end: 3 },
      { type: 'P', start: 1, end: 2 },
    ];
    const crossing: Entity[] = [
      { type: 'P', start: 0, end: 2 },
      { type: 'P', start: 1, end: 3 },
    ];
    const a = entitiesToExtendedBioTags(3, nested);
    const b = entitiesToExtendedBioTags(3, crossing);
    expect(a).not.toEqual(b);
    expect(extendedBioTagsToEntities(a)).toEqual(sortEntities(nested));
    expect(extendedBioTagsToEntities(b)).toEqual(sortEntities(crossing));
  });

  it('refuses three entities on one token unless maxDepth allows it', () => {
    const three: Entity[] = [
      { type: 'A', start: 0, end: 3 },
      { type: 'B', start: 0, end: 2 },
      { type: 'C', start: 1, end: 2 },
    ];
    expect(() => entitiesToExtendedBioTags(3, three)).toThrow(/more than 2 entities share a token/);
    const tags = entitiesToExtendedBioTags(3, three, { maxDepth: 3 });
    expect(tags).toEqual(['B-A/B-B', 'I-A/I-B/B-C', 'I-A']);
    expect(extendedBioTagsToEntities(tags)).toEqual(sortEntities(three));
  });

  it('does not split a type that contains / when the parts are not labels', () => {
    expect(extendedBioTagsToEntities(['B-GPE/ORG', 'I-GPE/ORG'])).toEqual([{ type: 'GPE/ORG', start: 0, end: 2 }]);
  });

  it('round-trips random two-fold overlapping entity sets', () => {
    const rng = createRng(11);
    const types = ['A', 'B', 'C'];
    let overlappingSets = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + rng.int(12);
      // Random distinct entities, kept only while every token is covered at most twice.
      const depth = new Array(n).fill(0);
      const entities: Entity[] = [];
      const seen = new Set<string>();
      for (let k = 0; k < 6; k++) {
        const start = rng.int(n);
        const end = start + 1 + rng.int(Math.min(4, n - start));
        const type = types[rng.int(types.length)];
        const key = `${start}:${end}:${type}`;
        let ok = !seen.has(key);
        for (let t = start; t < end && ok; t++) if (depth[t] >= 2) ok = false;
        if (!ok) continue;
        seen.add(key);
        for (let t = start; t < end; t++) depth[t]++;
        entities.push({ type, start, end });
      }
      if (depth.some((d) => d === 2)) overlappingSets++;
      const tags = entitiesToExtendedBioTags(n, entities);
      expect(tags).toHaveLength(n);
      expect(extendedBioTagsToEntities(tags)).toEqual(sortEntities(entities));
      // Without overlap the extended tags are plain IOB2.
      if (depth.every((d) => d <= 1)) expect(tags).toEqual(entitiesToBioTags(n, entities));
    }
    expect(overlappingSets).toBeGreaterThan(50);
  });

  it('collects problems without throwing in decodeBioTags', () => {
    const { entities, problems } = decodeBioTags(['B-A', '??', 'B-B'], true);
    expect(problems).toEqual([{ index: 1, problem: expect.stringContaining('tags[1] = "??" is not a BIO tag') }]);
    expect(entities).toEqual([
      { type: 'A', start: 0, end: 1 },
      { type: 'B', start: 2, end: 3 },
    ]);
  });
});
