import { describe, expect, it } from 'vitest';
import { DatasetError } from './errors.js';
import type { Document, TypeSchema } from './types.js';
import { DatasetWarning, formatWarnings } from './errors.js';
import { assertValidDocuments, mergeDuplicates, validateDocument, validateDocuments } from './validate.js';

const schema: TypeSchema = {
  entities: [
    { name: 'Peop', short: 'Peop', verbose: 'People' },
    { name: 'Loc', short: 'Loc', verbose: 'Location' },
  ],
  relations: [
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
    { name: 'Sibling', short: 'Sib', verbose: 'Sibling', symmetric: true },
  ],
};

function doc(over: Partial<Document> = {}): Document {
  return {
    id: '5173',
    tokens: ['Ann', 'and', 'Bob', 'live', 'in', 'Paris', '.'],
    entities: [
      { type: 'Peop', start: 0, end: 1 },
      { type: 'Peop', start: 2, end: 3 },
      { type: 'Loc', start: 5, end: 6 },
    ],
    relations: [
      { type: 'Live_In', head: 0, tail: 2 },
      { type: 'Sibling', head: 0, tail: 1 },
    ],
    ...over,
  };
}

function problemsOf(d: Document, withSchema = true): string[] {
  return validateDocument(d, 17, { schema: withSchema ? schema : undefined, file: 'train.json', strict: true }).map((e) => e.message);
}

describe('validateDocument', () => {
  it('accepts a valid document', () => {
    expect(problemsOf(doc())).toEqual([]);
  });

  it('names file, document index and id, field and the range in an out-of-range error', () => {
    const d = doc();
    d.entities[2] = { type: 'Loc', start: 5, end: 42 };
    const [err] = validateDocument(d, 17, { file: 'conll04_train.json' });
    expect(err).toBeInstanceOf(DatasetError);
    expect(err.message).toBe('conll04_train.json: document 17 (id 5173): entities[2].end = 42 is out of range (the document has 7 tokens)');
    expect([err.file, err.docIndex, err.docId, err.field]).toEqual(['conll04_train.json', 17, '5173', 'entities[2].end']);
  });

  it('reports a negative start and an empty span', () => {
    const d = doc({ entities: [{ type: 'Peop', start: -1, end: 1 }, { type: 'Peop', start: 3, end: 3 }], relations: [] });
    const msgs = problemsOf(d);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('entities[0].start = -1 is out of range');
    expect(msgs[1]).toContain('entities[1] has start 3 >= end 3');
  });

  it('reports unknown entity and relation types only when a schema is given', () => {
    const d = doc();
    d.entities[0] = { type: 'Org', start: 0, end: 1 };
    d.relations[0] = { type: 'Kill', head: 0, tail: 2 };
    const msgs = problemsOf(d);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('entities[0].type = "Org" is not an entity type of the schema (known: Peop, Loc)');
    expect(msgs[1]).toContain('relations[0].type = "Kill" is not a relation type');
    expect(problemsOf(d, false)).toEqual([]);
  });

  it('reports relation arguments out of range and self-relations', () => {
    const d = doc({ relations: [{ type: 'Live_In', head: 0, tail: 3 }, { type: 'Live_In', head: 1, tail: 1 }] });
    const msgs = problemsOf(d);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('relations[0].tail = 3 is out of range (the document has 3 entities)');
    expect(msgs[1]).toContain('relations[1] relates entities[1] to itself');
  });

  it('reports duplicate entities (same span and type) but not the same span with another type', () => {
    const d = doc();
    d.entities.push({ type: 'Peop', start: 2, end: 3 }, { type: 'Loc', start: 2, end: 3 });
    const msgs = problemsOf(d);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toContain('entities[3] duplicates entities[1]');
  });

  it('reports duplicate relations, order-free for symmetric types only', () => {
    const d = doc();
    d.relations.push({ type: 'Live_In', head: 0, tail: 2 }); // exact duplicate
    d.relations.push({ type: 'Live_In', head: 2, tail: 0 }); // reverse of a directed type: fine
    d.relations.push({ type: 'Sibling', head: 1, tail: 0 }); // reverse of a symmetric type: duplicate
    const msgs = problemsOf(d);
    expect(msgs).toHaveLength(2);
    expect(msgs[0]).toContain('relations[2] duplicates relations[0]');
    expect(msgs[1]).toContain('relations[4] duplicates relations[1]');
    expect(msgs[1]).toContain('symmetric');
  });

  it('reports an empty token list and an over-long one', () => {
    expect(problemsOf(doc({ tokens: [], entities: [], relations: [] }))[0]).toContain('tokens is empty');
    const long = validateDocument(doc(), 0, { maxTokens: 5 });
    expect(long).toHaveLength(1);
    expect(long[0].message).toContain('tokens has 7 tokens, more than the maximum of 5');
  });

  it('reports non-integer offsets in documents built in memory', () => {
    const d = doc({ entities: [{ type: 'Peop', start: 0.5, end: 1 }], relations: [] });
    expect(problemsOf(d)[0]).toContain('entities[0].start must be an integer (got 0.5)');
  });
});

describe('validateDocuments / assertValidDocuments', () => {
  it('collects errors over all documents, and the thrown one counts the rest', () => {
    const bad = doc({ relations: [{ type: 'Live_In', head: 0, tail: 9 }] });
    const docs = [doc(), bad, doc({ id: 'x', tokens: [], entities: [], relations: [] })];
    const errors = validateDocuments(docs, { file: 'f.json' });
    expect(errors.map((e) => e.docIndex)).toEqual([1, 2]);
    let thrown: unknown;
    try {
      assertValidDocuments(docs, { file: 'f.json' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(DatasetError);
    const e = thrown as DatasetError;
    expect(e.furtherErrors).toBe(1);
    expect(e.errors).toHaveLength(2);
    expect(e.message).toMatch(/^f\.json: document 1 \(id 5173\): relations\[0\]\.tail = 9 .* \(and 1 more error in this file\)$/);
  });
});

describe('lenient validation (predictions to be scored)', () => {
  const noisy = () =>
    doc({
      entities: [
        { type: 'Peop', start: 0, end: 1 },
        { type: 'Peop', start: 0, end: 1 },
        { type: 'Loc', start: 5, end: 6 },
      ],
      relations: [
        { type: 'Live_In', head: 0, tail: 2 },
        { type: 'Live_In', head: 0, tail: 2 },
        { type: 'Live_In', head: 2, tail: 2 },
      ],
    });

  it('accepts duplicates and self-relations that strict validation reports', () => {
    expect(validateDocument(noisy(), 0, { schema, strict: true })).toHaveLength(3);
    expect(validateDocument(noisy(), 0, { schema, lenient: true })).toEqual([]);
  });

  it('still reports spans and indices out of range', () => {
    const bad = noisy();
    bad.entities[2] = { type: 'Loc', start: 5, end: 9 };
    bad.relations[0] = { type: 'Live_In', head: 0, tail: 7 };
    const fields = validateDocument(bad, 0, { schema, lenient: true }).map((e) => e.field);
    expect(fields).toEqual(['entities[2].end', 'relations[0].tail']);
  });
});

describe('duplicates: merged with warnings, errors only when strict', () => {
  // entities[3] duplicates entities[1]; relations[2] points to the duplicate (so it becomes
  // relations[1] once merged: dropped too); relations[3] repeats relations[0].
  const dupes = () =>
    doc({
      entities: [
        { type: 'Peop', start: 0, end: 1 },
        { type: 'Peop', start: 2, end: 3 },
        { type: 'Loc', start: 5, end: 6 },
        { type: 'Peop', start: 2, end: 3 },
      ],
      relations: [
        { type: 'Live_In', head: 0, tail: 2 },
        { type: 'Sibling', head: 0, tail: 1 },
        { type: 'Live_In', head: 3, tail: 2 },
        { type: 'Live_In', head: 0, tail: 2 },
      ],
    });

  it('mergeDuplicates drops the duplicate entity, re-points its relations, then drops duplicate relations', () => {
    const warnings: DatasetWarning[] = [];
    const [merged] = mergeDuplicates([dupes()], { schema, file: 'train.json', onWarnings: (w) => warnings.push(...w) });
    expect(merged.entities).toEqual(dupes().entities.slice(0, 3));
    expect(merged.relations).toEqual([
      { type: 'Live_In', head: 0, tail: 2 },
      { type: 'Sibling', head: 0, tail: 1 },
      { type: 'Live_In', head: 1, tail: 2 },
    ]);
    expect(warnings.map((w) => [w.file, w.docIndex, w.docId, w.field])).toEqual([
      ['train.json', 0, '5173', 'entities[3]'],
      ['train.json', 0, '5173', 'relations[3]'],
    ]);
    expect(warnings[0].message).toBe(
      'train.json: document 0 (id 5173): entities[3] duplicates entities[1] (same span [2, 3) and type "Peop"): merged into it; relations[2] re-pointed to entities[1]',
    );
    expect(warnings[1].message).toContain('relations[3] duplicates relations[0] (same type, head and tail): dropped');
  });

  it('a relation to the duplicate that repeats one to the kept copy is dropped after the merge', () => {
    const d = dupes();
    d.relations.push({ type: 'Live_In', head: 1, tail: 2 });
    const warnings: DatasetWarning[] = [];
    const [merged] = mergeDuplicates([d], { schema, onWarnings: (w) => warnings.push(...w) });
    expect(merged.relations).toHaveLength(3);
    expect(warnings.map((w) => w.field)).toEqual(['entities[3]', 'relations[3]', 'relations[4]']);
    expect(warnings[2].problem).toContain('relations[4] duplicates relations[2] (same type, head and tail, once duplicate entities are merged): dropped');
  });

  it('a relation between an entity and its duplicate stays an error (a self-relation)', () => {
    const d = dupes();
    d.relations.push({ type: 'Sibling', head: 1, tail: 3 });
    expect(() => mergeDuplicates([d], { schema, file: 'f.json' })).toThrow(/relations\[4\] relates entities\[1\] to entities\[3\], a duplicate of it/);
  });

  it('strict: duplicates are errors', () => {
    expect(() => mergeDuplicates([dupes()], { schema, strict: true, file: 'f.json' })).toThrow(/f\.json: document 0 \(id 5173\): entities\[3\] duplicates entities\[1\]/);
    expect(validateDocuments([dupes()], { schema, strict: true }).map((e) => e.field)).toEqual(['entities[3]', 'relations[3]']);
  });

  it('validateDocuments passes duplicates to onWarnings when not strict; other problems stay errors', () => {
    const warnings: DatasetWarning[] = [];
    const bad = dupes();
    bad.relations.push({ type: 'Live_In', head: 0, tail: 9 });
    const errors = validateDocuments([dupes(), bad], { schema, onWarnings: (w) => warnings.push(...w) });
    expect(errors.map((e) => e.field)).toEqual(['relations[4].tail']);
    expect(warnings.map((w) => [w.docIndex, w.field])).toEqual([
      [0, 'entities[3]'],
      [0, 'relations[3]'],
      [1, 'entities[3]'],
      [1, 'relations[3]'],
    ]);
    expect(() => mergeDuplicates([dupes(), bad], { schema })).toThrow(/relations\[4\]\.tail = 9/);
  });

  it('formatWarnings: one block per file with the count and the first few locations', () => {
    const warnings: DatasetWarning[] = [];
    mergeDuplicates([dupes(), dupes(), dupes()], { schema, file: 'train.json', onWarnings: (w) => warnings.push(...w) });
    const text = formatWarnings(warnings, { maxListed: 2, hint: 'run with --strict to make them errors' });
    expect(text.split('\n')).toEqual([
      'warning: train.json: 6 duplicate annotations merged (run with --strict to make them errors)',
      '  document 0 (id 5173): entities[3] duplicates entities[1] (same span [2, 3) and type "Peop"): merged into it; relations[2] re-pointed to entities[1]',
      '  document 0 (id 5173): relations[3] duplicates relations[0] (same type, head and tail): dropped',
      '  ... (and 4 more)',
    ]);
  });
});
