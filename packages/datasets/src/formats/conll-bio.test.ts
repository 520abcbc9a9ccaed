import { describe, expect, it } from 'vitest';
import { DatasetError } from '../errors.js';
import type { Document } from '../types.js';
import { formatConllBio, parseConllBio } from './conll-bio.js';

const IOB1 = [
  '-DOCSTART- -X- -X- O',
  '',
  'EU NNP B-NP I-ORG',
  'rejects VBZ B-VP O',
  'German JJ B-NP I-MISC',
  'call NN I-NP O',
  '',
  'Peter NNP B-NP I-PER',
  'Blackburn NNP I-NP I-PER',
  '',
  '-DOCSTART- -X- -X- O',
  '',
  'Paris NNP B-NP I-LOC',
  'London NNP B-NP B-LOC',
  '',
].join('\n');

function errorOf(fn: () => unknown): DatasetError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DatasetError) return err;
    throw err;
  }
  throw new Error('expected a DatasetError');
}

describe('parseConllBio', () => {
  it('reads IOB1 with the tag in the last column, skipping -DOCSTART- lines', () => {
    const docs = parseConllBio(IOB1, 'eng.train');
    expect(docs.map((d) => d.tokens)).toEqual([['EU', 'rejects', 'German', 'call'], ['Peter', 'Blackburn'], ['Paris', 'London']]);
    expect(docs[0].entities).toEqual([
      { type: 'ORG', start: 0, end: 1 },
      { type: 'MISC', start: 2, end: 3 },
    ]);
    expect(docs[1].entities).toEqual([{ type: 'PER', start: 0, end: 2 }]);
    // B-LOC after I-LOC starts a second entity (IOB1).
    expect(docs[2].entities).toEqual([
      { type: 'LOC', start: 0, end: 1 },
      { type: 'LOC', start: 1, end: 2 },
    ]);
    expect(docs.map((d) => [d.id, d.docKey, d.sentenceIndex])).toEqual([
      ['0', '0', 0],
      ['1', '0', 1],
      ['2', '1', 0],
    ]);
    expect(docs.every((d) => d.relations.length === 0)).toBe(true);
  });

  it('reads tab-separated IOB2, CRLF and several blank lines', () => {
    const text = 'A\tB-X\r\nb\tI-X\r\n\r\n\r\nc\tO\r\nd\tB-Y\r\n';
    const docs = parseConllBio(text);
    expect(docs).toHaveLength(2);
    expect(docs[0].entities).toEqual([{ type: 'X', start: 0, end: 2 }]);
    expect(docs[1].entities).toEqual([{ type: 'Y', start: 1, end: 2 }]);
    expect(docs[0].docKey).toBeUndefined();
  });

  it('reports a bad tag and a missing tag with their line numbers', () => {
    const err = errorOf(() => parseConllBio('a O\nb Q-X\n\nc\n', 'x.conll'));
    expect(err.errors.map((e) => e.message)).toEqual([
      'x.conll: line 2: document 0 (id 0): tags[1] = "Q-X" is not a BIO tag (expected O, B-<type> or I-<type>, layers joined by /)',
      'x.conll: line 4: document 1 (id 1): tags[0]: expected a token and a tag in column -1 (got 1 column: "c")',
    ]);
  });

  it('checks types against a schema', () => {
    const schema = { entities: [{ name: 'PER', short: 'PER', verbose: 'Person' }], relations: [] };
    const err = errorOf(() => parseConllBio('a O\nb B-LOC\n', 'x.conll', { schema }));
    expect(err.message).toBe('x.conll: line 1: document 0 (id 0): type of tags[1] = "LOC" is not an entity type of the schema (known: PER)');
  });
});

describe('formatConllBio', () => {
  const docs: Document[] = [
    { id: 'a', tokens: ['Ann', 'met', 'Bob', 'Lee'], entities: [{ type: 'PER', start: 2, end: 4 }, { type: 'PER', start: 0, end: 1 }], relations: [{ type: 'R', head: 0, tail: 1 }] },
    { id: 'b', tokens: ['in', 'Rome'], entities: [{ type: 'LOC', start: 1, end: 2 }], relations: [] },
  ];

  it('writes IOB2 with a blank line after each sentence, and reads back', () => {
    const text = formatConllBio(docs);
    expect(text).toBe('Ann\tB-PER\nmet\tO\nBob\tB-PER\nLee\tI-PER\n\nin\tO\nRome\tB-LOC\n\n');
    const back = parseConllBio(text);
    expect(back.map((d) => d.tokens)).toEqual(docs.map((d) => d.tokens));
    expect(back[0].entities).toEqual([
      { type: 'PER', start: 0, end: 1 },
      { type: 'PER', start: 2, end: 4 },
    ]);
  });

  it('writes -DOCSTART- between documents and round-trips their grouping', () => {
    const grouped = docs.map((d, i) => ({ ...d, docKey: 'k', sentenceIndex: i }));
    const text = formatConllBio([...grouped, { ...docs[0], docKey: 'other' }]);
    expect(text.match(/-DOCSTART-/g)).toHaveLength(2);
    const back = parseConllBio(text);
    expect(back.map((d) => d.docKey)).toEqual(['0', '0', '1']);
  });

  it('writes overlapping entities only in extended mode, and reads them back', () => {
    const overlapping: Document[] = [
      { id: 'x', tokens: ['Codeine', 'intoxication', 'here'], entities: [{ type: 'DRUG', start: 0, end: 1 }, { type: 'AE', start: 0, end: 2 }], relations: [] },
    ];
    expect(() => formatConllBio(overlapping)).toThrow(/document 0 \(id x\): entities\[0\] .* plain BIO cannot encode/);
    const text = formatConllBio(overlapping, { extended: true });
    expect(text).toBe('Codeine\tB-AE/B-DRUG\nintoxication\tI-AE\nhere\tO\n\n');
    expect(parseConllBio(text)[0].entities).toEqual([
      { type: 'DRUG', start: 0, end: 1 },
      { type: 'AE', start: 0, end: 2 },
    ]);
  });

  it('refuses tokens with whitespace', () => {
    expect(() => formatConllBio([{ id: 'z', tokens: ['a b'], entities: [], relations: [] }])).toThrow(/tokens\[0\] = "a b" cannot be written/);
  });
});
