import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVocabulary } from './build-vocabulary.js';
import { parseWordVectorsText } from './read-word-vectors.js';
import { loadVocabulariesSync, saveVocabularies, VOCABULARY_FILE } from './vocabulary-file.js';
import { PAD_INDEX, UNK_INDEX } from './vocabulary.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-vocab-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SENTENCES = [['John', 'works', 'for', 'IBM', '.'], { tokens: ['IBM', 'hired', 'john', '.'] }, ['Mary', 'works', '.']];

describe('buildVocabulary', () => {
  it('keeps words seen minCount times, lowercased, most frequent first; chars keep case', () => {
    const v = buildVocabulary(SENTENCES, { minCount: 2 });
    expect(v.words.tokens).toEqual(['<pad>', '<unk>', '.', 'john', 'works', 'ibm']);
    expect(v.words.index('ibm')).toBe(5);
    expect(v.words.index('mary')).toBe(UNK_INDEX);
    expect(v.words.index('<pad>')).toBe(PAD_INDEX);
    expect(v.chars.has('J')).toBe(true);
    expect(v.chars.has('j')).toBe(true);
    expect(v.chars.tokens.slice(0, 2)).toEqual(['<pad>', '<unk>']);
    // every character of the data, each once
    expect(new Set(v.chars.entries())).toEqual(new Set([...SENTENCES.flatMap((s) => (Array.isArray(s) ? s : s.tokens)).join('')]));
    expect(v.lowercase).toBe(true);
  });

  it('keeps case when asked, and keeps exactly the words with a pretrained vector when given vectors', () => {
    expect(buildVocabulary(SENTENCES, { minCount: 1, lowercase: false }).words.has('John')).toBe(true);
    const vectors = parseWordVectorsText('john 1 1\nmary 2 2\nparis 3 3\n');
    const v = buildVocabulary(SENTENCES, { pretrained: vectors, minCount: 5 });
    expect(v.words.entries()).toEqual(['john', 'mary']); // count ignored; paris is not in the data
    expect(() => buildVocabulary(SENTENCES, { pretrained: vectors, lowercase: false })).toThrow('lowercase');
  });

  it('refuses bad sentences and options', () => {
    expect(() => buildVocabulary([['a', '']])).toThrow('sentence 0 token 1');
    expect(() => buildVocabulary([{ words: ['a'] } as never])).toThrow('sentence 0');
    expect(() => buildVocabulary([['a']], { minCount: 0 })).toThrow('minCount');
  });

  it('round-trips through vocabulary.json', async () => {
    const v = buildVocabulary(SENTENCES, { minCount: 1 });
    await saveVocabularies(dir, v);
    const back = loadVocabulariesSync(dir);
    expect(back.words.tokens).toEqual(v.words.tokens);
    expect(back.chars.tokens).toEqual(v.chars.tokens);
    expect(back.lowercase).toBe(true);
    writeFileSync(join(dir, VOCABULARY_FILE), JSON.stringify({ format: 'spanrel-vocabulary', version: 1, lowercase: true, words: ['a'], chars: [] }));
    expect(() => loadVocabulariesSync(dir)).toThrow(`${join(dir, VOCABULARY_FILE)}: field "words"`);
  });
});
