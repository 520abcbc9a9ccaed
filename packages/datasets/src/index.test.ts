// The README's workflow, through the package entry point (src/index.ts), on files written by the test.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  computeStatistics,
  createRng,
  DatasetError,
  entitiesToExtendedBioTags,
  extendedBioTagsToEntities,
  formatStatistics,
  kFoldSplits,
  makeBatches,
  readDocuments,
  readTypeSchema,
  sampleNegatives,
  writeDocuments,
} from './index.js';

const TYPES = '{"entities": {"Drug": {"short": "Drug", "verbose": "Drug"}, "AE": {"short": "AE", "verbose": "Adverse effect"}}, "relations": {"Causes": {"short": "C", "verbose": "Causes", "symmetric": false}}}';
const DATA = JSON.stringify(
  Array.from({ length: 6 }, (_, i) => ({
    tokens: ['Codeine', 'intoxication', 'in', 'patient', String(i)],
    entities: [
      { type: 'Drug', start: 0, end: 1 },
      { type: 'AE', start: 0, end: 2 },
    ],
    relations: [{ type: 'Causes', head: 0, tail: 1 }],
    orig_id: i,
  })),
);

describe('README workflow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanrel-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads, validates, samples, tags, splits, batches and converts', () => {
    writeFileSync(join(dir, 'types.json'), TYPES);
    writeFileSync(join(dir, 'ade.json'), DATA);
    const schema = readTypeSchema(join(dir, 'types.json'));
    const train = readDocuments(join(dir, 'ade.json'), { schema });
    expect(train).toHaveLength(6);

    const stats = computeStatistics(train, schema);
    expect(stats.overlap.nestedPairs).toBe(6);
    expect(formatStatistics(stats)).toContain('nested entity pairs');

    const rng = createRng(42);
    for (const doc of train) {
      const { entitySpans, relationPairs } = sampleNegatives(doc, rng, {}, schema);
      expect(entitySpans).toHaveLength(15 - 2);
      expect(relationPairs).toEqual([[1, 0]]);
      const tags = entitiesToExtendedBioTags(doc.tokens.length, doc.entities);
      expect(tags.slice(0, 2)).toEqual(['B-AE/B-Drug', 'I-AE']);
      expect(extendedBioTagsToEntities(tags)).toEqual(doc.entities);
    }
    expect(kFoldSplits(train, 3, 1).map((f) => f.test.length)).toEqual([2, 2, 2]);
    expect(makeBatches(train, (d) => d.tokens.length, { batchSize: 4, shuffle: true, seed: 1 }).flat()).toHaveLength(6);

    writeDocuments(join(dir, 'ade.conll'), train, undefined, { extended: true });
    const fromConll = readDocuments(join(dir, 'ade.conll'));
    expect(fromConll.map((d) => d.entities)).toEqual(train.map((d) => d.entities));
  });

  it('throws a DatasetError naming file, document and field', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, DATA.replace('"end":2}', '"end":9}'));
    try {
      readDocuments(path, 'spert', { schema: readTypeSchema(join(dir, 'types.json')) });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DatasetError);
      expect((err as DatasetError).message).toBe(`${path}: document 0 (id 0): entities[1].end = 9 is out of range (the document has 5 tokens)`);
    }
  });
});
