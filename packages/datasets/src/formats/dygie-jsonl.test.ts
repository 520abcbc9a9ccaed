import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import type { Document } from '../types.js';
import { formatDygieJsonl, parseDygieJsonl } from './dygie-jsonl.js';

// Two sentences of 4 and 5 words: the second starts at document offset 4. Ends inclusive.
const LINE =
  '{"doc_key": "doc1", "sentences": [["Ann", "visited", "New", "York"], ["Bob", "works", "for", "Acme", "Inc"]], ' +
  '"ner": [[[0, 0, "PER"], [2, 3, "LOC"]], [[4, 4, "PER"], [7, 8, "ORG"]]], ' +
  '"relations": [[[0, 0, 2, 3, "VISIT"]], [[4, 4, 7, 8, "WORK"]]]}\n';

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err;
    throw err;
  }
  throw new Error('expected a DatasetError');
}

describe('parseDygieJsonl', () => {
  it('splits documents into sentences with sentence-level [start, end) spans', () => {
    const docs = parseDygieJsonl(LINE, 'd.jsonl');
    expect(docs).toHaveLength(2);
    expect(docs.map((d) => [d.id, d.docKey, d.sentenceIndex])).toEqual([
      ['doc1:0', 'doc1', 0],
      ['doc1:1', 'doc1', 1],
    ]);
    // Hand-converted: [2, 3] inclusive -> [2, 4); [7, 8] at offset 4 -> [3, 5).
    expect(docs[0].entities).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'LOC', start: 2, end: 4 },
    ]);
    expect(docs[1].entities).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'ORG', start: 3, end: 5 },
    ]);
    expect(docs[0].relations).toEqual([{ type: 'VISIT', head: 0, tail: 1 }]);
    expect(docs[1].relations).toEqual([{ type: 'WORK', head: 0, tail: 1 }]);
    expect(docs[1].tokens.slice(docs[1].entities[1].start, docs[1].entities[1].end)).toEqual(['Acme', 'Inc']);
  });

  it('writes back the same text', () => {
    expect(formatDygieJsonl(parseDygieJsonl(LINE))).toBe(LINE);
  });

  it('keeps other keys and their order', () => {
    const line =
      '{"clusters": [[[0, 0], [4, 4]]], "sentences": [["a", "b"], ["c"]], "ner": [[[0, 1, "X"]], []], "relations": [[], []], "doc_key": "k", "dataset": "scierc"}\n';
    const docs = parseDygieJsonl(line + '\n' + LINE);
    expect(docs).toHaveLength(4);
    expect(formatDygieJsonl(docs)).toBe(line + LINE);
  });

  it('round-trips sentence documents made in memory, grouping by docKey', () => {
    const docs: Document[] = [
      { id: 'a', tokens: ['x', 'y', 'z'], entities: [{ type: 'T', start: 1, end: 3 }, { type: 'T', start: 0, end: 1 }], relations: [{ type: 'R', head: 1, tail: 0 }], docKey: 'D', sentenceIndex: 0 },
      { id: 'b', tokens: ['u', 'v'], entities: [{ type: 'T', start: 0, end: 2 }], relations: [], docKey: 'D', sentenceIndex: 1 },
      { id: 'lonely', tokens: ['w'], entities: [], relations: [] },
    ];
    const text = formatDygieJsonl(docs);
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    // Document offsets: sentence 1 starts at 3, so [0, 2) -> [3, 4] inclusive.
    expect(text).toContain('"ner": [[[1, 2, "T"], [0, 0, "T"]], [[3, 4, "T"]]]');
    expect(text).toContain('"doc_key": "lonely"');
    const back = parseDygieJsonl(text);
    expect(back.map((d) => ({ tokens: d.tokens, entities: d.entities, relations: d.relations }))).toEqual(
      docs.map((d) => ({ tokens: d.tokens, entities: d.entities, relations: d.relations })),
    );
  });

  it('reports an inclusive end outside its sentence in DyGIE++ terms, with the line', () => {
    const bad = LINE.replace('[7, 8, "ORG"]', '[7, 9, "ORG"]').replace('[0, 0, 2, 3, "VISIT"]', '[0, 0, 0, 0, "VISIT"]');
    const err = errorOf(() => parseDygieJsonl('\n' + LINE + bad, 'x.jsonl'));
    expect(err.message).toBe('x.jsonl: line 3: document 1 (id doc1): relations[0][0] relates ner[0][0] to itself (head = tail = 0) (and 1 more error in this file)');
    expect(err.errors[0].field).toBe('relations[0][0]');
    expect(err.errors[1].message).toBe('x.jsonl: line 3: document 1 (id doc1): ner[1][1][1] = 9 is out of range (sentence 1 covers document tokens 4..8)');
  });

  it('reports a relation argument that is not an entity, and mismatched list counts', () => {
    const noEntity = LINE.replace('[0, 0, 2, 3, "VISIT"]', '[0, 0, 1, 3, "VISIT"]');
    expect(errorOf(() => parseDygieJsonl(noEntity, 'x.jsonl')).message).toContain('relations[0][0]: tail span [1, 3] is not an entity of ner[0]');
    const fewer = LINE.replace('"relations": [[[0, 0, 2, 3, "VISIT"]], [[4, 4, 7, 8, "WORK"]]]', '"relations": [[]]');
    expect(errorOf(() => parseDygieJsonl(fewer, 'x.jsonl')).message).toContain('relations has 1 sentence lists but sentences has 2');
  });

  it('reports missing fields, malformed lines and start > end', () => {
    const err = errorOf(() => parseDygieJsonl('{"doc_key": "a", "sentences": [["x"]], "ner": [[]]}\n{"doc_key": "b", \n', 'y.jsonl'));
    expect(err.errors.map((e) => e.message)).toEqual([
      'y.jsonl: line 1: document 0 (id a): relations is missing',
      expect.stringMatching(/^y\.jsonl: line 2, column \d+: malformed JSON/),
    ]);
    const reversed = LINE.replace('[2, 3, "LOC"]', '[3, 2, "LOC"]').replace('[0, 0, 2, 3, "VISIT"]', '[0, 0, 0, 0, "VISIT"]');
    expect(errorOf(() => parseDygieJsonl(reversed, 'z.jsonl')).errors[0].problem).toBe('ner[0][1] has start 3 > inclusive end 2');
  });
});

describe('duplicates in a DyGIE++ file', () => {
  it('are merged with warnings in DyGIE++ field names, and are errors with strict', () => {
    const line =
      '{"doc_key": "d9", "sentences": [["Ann", "visited", "Rome"]], "ner": [[[0, 0, "PER"], [2, 2, "LOC"], [0, 0, "PER"]]], ' +
      '"relations": [[[0, 0, 2, 2, "VISIT"], [0, 0, 2, 2, "VISIT"]]]}\n';
    const warnings: string[] = [];
    const [doc] = parseDygieJsonl(line, 'd.jsonl', { onWarnings: (w) => warnings.push(...w.map((x) => x.message)) });
    expect(doc.entities).toHaveLength(2);
    expect(doc.relations).toEqual([{ type: 'VISIT', head: 0, tail: 1 }]);
    expect(warnings).toEqual([
      'd.jsonl: line 1: document 0 (id d9): ner[0][2] duplicates ner[0][0] (same span [0, 1) and type "PER"): merged into it',
      'd.jsonl: line 1: document 0 (id d9): relations[0][1] duplicates relations[0][0] (same type, head and tail): dropped',
    ]);
    expect(errorOf(() => parseDygieJsonl(line, 'd.jsonl', { strict: true })).errors.map((e) => e.field)).toEqual(['ner[0][2]', 'relations[0][1]']);
  });
});
