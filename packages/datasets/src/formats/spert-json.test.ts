import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import type { TypeSchema } from '../types.js';
import { readDocuments, formatFromPath, writeDocuments } from './read-documents.js';
import { formatSpertJson, parseSpertJson, readSpertJson, writeSpertJson } from './spert-json.js';

// Written by hand in the layout of SpERT's files (Python json.dumps), with a non-ASCII token.
const TEXT =
  '[{"tokens": ["Jesse", "Owens", "was", "born", "in", "Oakville", ",", "Alabama", "."], ' +
  '"entities": [{"type": "Peop", "start": 0, "end": 2}, {"type": "Loc", "start": 5, "end": 8}], ' +
  '"relations": [{"type": "Live_In", "head": 0, "tail": 1}], "orig_id": 5173}, ' +
  '{"tokens": ["Z\\u00fcrich", "rocks"], "entities": [{"type": "Loc", "start": 0, "end": 1}], "relations": [], "orig_id": "s-2"}]';

const schema: TypeSchema = {
  entities: [
    { name: 'Peop', short: 'Peop', verbose: 'People' },
    { name: 'Loc', short: 'Loc', verbose: 'Location' },
  ],
  relations: [{ name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false }],
};

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err;
    throw err;
  }
  throw new Error('expected a DatasetError');
}

describe('parseSpertJson', () => {
  it('reads documents, ids from orig_id', () => {
    const docs = parseSpertJson(TEXT, 'train.json', { schema });
    expect(docs).toHaveLength(2);
    expect(docs[0].id).toBe('5173');
    expect(docs[1].id).toBe('s-2');
    expect(docs[1].tokens[0]).toBe('Zürich');
    expect(docs[0].entities[1]).toEqual({ type: 'Loc', start: 5, end: 8 });
    expect(docs[0].relations).toEqual([{ type: 'Live_In', head: 0, tail: 1 }]);
  });

  it('writes back byte for byte, keeping orig_id and its type', () => {
    expect(formatSpertJson(parseSpertJson(TEXT))).toBe(TEXT);
  });

  it('uses the position as id without orig_id, and writes ids only on request', () => {
    const text = '[{"tokens": ["a"], "entities": [], "relations": []}]';
    const docs = parseSpertJson(text);
    expect(docs[0].id).toBe('0');
    expect(formatSpertJson(docs)).toBe(text);
    expect(formatSpertJson(docs, { origId: 'id' })).toBe('[{"tokens": ["a"], "entities": [], "relations": [], "orig_id": "0"}]');
  });

  it('reports a missing field and a wrong field type, naming document and field', () => {
    const text = '[{"tokens": ["a", "b"], "entities": [{"type": "Loc", "start": 0}], "relations": []}, {"tokens": "a b", "entities": [], "relations": [], "orig_id": 9}]';
    const err = errorOf(() => parseSpertJson(text, 'x.json'));
    expect(err.message).toBe('x.json: document 0 (id 0): entities[0].end is missing (and 1 more error in this file)');
    expect(err.errors[1].message).toBe('x.json: document 1 (id 9): tokens must be an array (got string)');
    expect(err.errors[1].field).toBe('tokens');
  });

  it('reports wrong value types inside entities and relations', () => {
    const text = '[{"tokens": ["a", "b"], "entities": [{"type": 3, "start": "0", "end": 1}], "relations": [{"type": "R", "head": 0, "tail": 1.5}]}]';
    const err = errorOf(() => parseSpertJson(text, 'x.json'));
    expect(err.errors.map((e) => e.field)).toEqual(['entities[0].type', 'entities[0].start', 'relations[0].tail']);
    expect(err.errors[1].problem).toBe('entities[0].start must be an integer (got "0")');
  });

  it('reports spans out of range, unknown types and self-relations with the schema', () => {
    const text =
      '[{"tokens": ["a", "b", "c"], "entities": [{"type": "Loc", "start": 1, "end": 4}, {"type": "Org", "start": 0, "end": 1}], ' +
      '"relations": [{"type": "Live_In", "head": 1, "tail": 1}], "orig_id": 42}]';
    const err = errorOf(() => parseSpertJson(text, 'conll04_train.json', { schema }));
    expect(err.furtherErrors).toBe(2);
    expect(err.errors.map((e) => e.message)).toEqual([
      'conll04_train.json: document 0 (id 42): entities[0].end = 4 is out of range (the document has 3 tokens)',
      'conll04_train.json: document 0 (id 42): entities[1].type = "Org" is not an entity type of the schema (known: Peop, Loc)',
      'conll04_train.json: document 0 (id 42): relations[0] relates entities[1] to itself (head = tail = 1)',
    ]);
  });

  it('reports malformed JSON with line and column, and a non-array top level', () => {
    const err = errorOf(() => parseSpertJson('[{"tokens": ["a"],\n "entities": [}]', 'm.json'));
    expect(err.line).toBe(2);
    expect(err.column).toBe(15);
    expect(err.message).toContain('m.json: line 2, column 15: malformed JSON');
    expect(errorOf(() => parseSpertJson('{"tokens": []}', 'o.json')).message).toBe('o.json: SpERT JSON must be an array of documents (got object)');
  });
});

describe('SpERT files and readDocuments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanrel-spert-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads and writes files, errors named by path', () => {
    const path = join(dir, 'train.json');
    writeFileSync(path, TEXT);
    const docs = readSpertJson(path);
    const out = join(dir, 'copy.json');
    writeSpertJson(out, docs);
    expect(readFileSync(out, 'utf8')).toBe(TEXT);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[{"tokens": [], "entities": [], "relations": []}]');
    expect(errorOf(() => readSpertJson(bad)).message).toBe(`${bad}: document 0 (id 0): tokens is empty (a document needs at least one token)`);
  });

  it('picks the format from the extension', () => {
    expect(formatFromPath('a/b.JSON')).toBe('spert');
    expect(formatFromPath('b.jsonl')).toBe('dygie');
    expect(formatFromPath('b.conll')).toBe('conll');
    expect(() => formatFromPath('b.xml')).toThrow(/cannot tell the data format/);
    const path = join(dir, 'data.jsonl');
    const docs = parseSpertJson(TEXT);
    writeDocuments(path, docs);
    const back = readDocuments(path);
    expect(back.map((d) => d.entities)).toEqual(docs.map((d) => d.entities));
    expect(readFileSync(path, 'utf8').startsWith('{"doc_key": "5173"')).toBe(true);
    const asSpert = readDocuments(join(dir, 'train.json'), 'spert');
    expect(asSpert).toHaveLength(2);
  });
});

describe('duplicates in a SpERT JSON file', () => {
  // Document 1 (orig_id 7): entities[2] duplicates entities[0], relations[1] points to it
  // (so it repeats relations[0] once merged), relations[2] repeats relations[0] outright.
  const DUPES =
    '[{"tokens": ["Ann", "lives", "in", "Rome"], "entities": [{"type": "Peop", "start": 0, "end": 1}, {"type": "Loc", "start": 3, "end": 4}], "relations": [{"type": "Live_In", "head": 0, "tail": 1}]}, ' +
    '{"tokens": ["Bob", "lives", "in", "Oslo"], "entities": [{"type": "Peop", "start": 0, "end": 1}, {"type": "Loc", "start": 3, "end": 4}, {"type": "Peop", "start": 0, "end": 1}], ' +
    '"relations": [{"type": "Live_In", "head": 0, "tail": 1}, {"type": "Live_In", "head": 2, "tail": 1}, {"type": "Live_In", "head": 0, "tail": 1}], "orig_id": 7}]';

  it('are merged, with warnings naming the file, the document and the field', () => {
    const warnings: string[] = [];
    const calls: number[] = [];
    const docs = parseSpertJson(DUPES, 'scierc_train.json', {
      schema,
      onWarnings: (w) => {
        calls.push(w.length);
        warnings.push(...w.map((x) => x.message));
      },
    });
    expect(calls).toEqual([3]); // once per file
    expect(docs[1].entities).toEqual([
      { type: 'Peop', start: 0, end: 1 },
      { type: 'Loc', start: 3, end: 4 },
    ]);
    expect(docs[1].relations).toEqual([{ type: 'Live_In', head: 0, tail: 1 }]);
    expect(docs[1].extra?.spert).toEqual({ orig_id: 7 });
    expect(warnings).toEqual([
      'scierc_train.json: document 1 (id 7): entities[2] duplicates entities[0] (same span [0, 1) and type "Peop"): merged into it; relations[1] re-pointed to entities[0]',
      'scierc_train.json: document 1 (id 7): relations[1] duplicates relations[0] (same type, head and tail, once duplicate entities are merged): dropped',
      'scierc_train.json: document 1 (id 7): relations[2] duplicates relations[0] (same type, head and tail): dropped',
    ]);
  });

  it('are errors with strict', () => {
    const err = errorOf(() => parseSpertJson(DUPES, 'scierc_train.json', { schema, strict: true }));
    expect(err.message).toBe('scierc_train.json: document 1 (id 7): entities[2] duplicates entities[0] (same span [0, 1) and type "Peop") (and 1 more error in this file)');
    expect(err.errors.map((e) => e.field)).toEqual(['entities[2]', 'relations[2]']);
  });

  it('are printed to stderr without onWarnings (readDocuments too)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanrel-dupes-'));
    try {
      const path = join(dir, 'train.json');
      writeFileSync(path, DUPES);
      const printed: unknown[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void printed.push(...args);
      try {
        expect(readDocuments(path, { schema })[1].relations).toHaveLength(1);
      } finally {
        console.warn = warn;
      }
      expect(printed).toHaveLength(1);
      expect(String(printed[0])).toMatch(new RegExp(`^warning: ${path.replace(/[.\\]/g, '\\$&')}: 3 duplicate annotations merged \\(strict: true makes them errors\\)\n  document 1 \\(id 7\\): entities\\[2\\]`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('other problems stay errors', () => {
    const bad = DUPES.replace('"tail": 1}]}, ', '"tail": 5}]}, ');
    expect(errorOf(() => parseSpertJson(bad, 'x.json', { schema })).message).toBe('x.json: document 0 (id 0): relations[0].tail = 5 is out of range (the document has 2 entities)');
  });
});
