import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { parseWordVectorsText, readWordVectorsFile } from './read-word-vectors.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GLOVE = ['the 0.1 0.2 0.3', 'Apple 1 2 3', 'apple 4 5 6', 'APPLE 7 8 9', 'Paris -1 -2 -3.5', '. . . 0 0 1', ''].join('\n');

function vectorOf(v: { get(w: string): Float32Array | undefined }, w: string): number[] | undefined {
  const x = v.get(w);
  return x && Array.from(x);
}

describe('readWordVectorsFile (GloVe text)', () => {
  it('reads words and vectors, lowercasing with the exact lowercase form winning', async () => {
    const file = join(dir, 'glove.txt');
    writeFileSync(file, GLOVE);
    const v = await readWordVectorsFile(file);
    expect(v.dim).toBe(3);
    expect(v.lowercase).toBe(true);
    expect([...v.words]).toEqual(['the', 'apple', 'paris', '. . .']);
    expect(vectorOf(v, 'the')).toEqual([0.1, 0.2, 0.3].map(Math.fround));
    expect(vectorOf(v, 'apple')).toEqual([4, 5, 6]); // "apple" beats "Apple" (first) and "APPLE"
    expect(vectorOf(v, 'paris')).toEqual([-1, -2, -3.5]); // only a cased form exists: it is used
    expect(vectorOf(v, '. . .')).toEqual([0, 0, 1]); // a word containing spaces (GloVe 840B has some)
    expect(v.get('Paris')).toBeUndefined();
  });

  it('keeps case when lowercase is false, and keeps only the words asked for', async () => {
    const file = join(dir, 'glove-cased.txt');
    writeFileSync(file, GLOVE);
    const cased = await readWordVectorsFile(file, { lowercase: false });
    expect([...cased.words]).toEqual(['the', 'Apple', 'apple', 'APPLE', 'Paris', '. . .']);
    const some = await readWordVectorsFile(file, { keep: (w) => w === 'paris' || w === 'missing' });
    expect([...some.words]).toEqual(['paris']);
  });

  it('skips a word2vec header line and reads .gz files', async () => {
    const file = join(dir, 'w2v.txt.gz');
    writeFileSync(file, gzipSync('2 2\nking 0.5 -0.5\nqueen 0.25 0.75\n'));
    const v = await readWordVectorsFile(file);
    expect(v.dim).toBe(2);
    expect([...v.words]).toEqual(['king', 'queen']);
    expect(vectorOf(v, 'queen')).toEqual([0.25, 0.75]);
  });

  it('handles CRLF line ends', () => {
    const v = parseWordVectorsText('a 1 2\r\nb 3 4\r\n');
    expect(vectorOf(v, 'b')).toEqual([3, 4]);
  });

  it('names the file and line of a bad value or a short line', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, 'a 1 2\nb 3 x\n');
    await expect(readWordVectorsFile(bad)).rejects.toThrow(`${bad} line 2: value 2 of "b" is "x", not a number`);
    const short = join(dir, 'short.txt');
    writeFileSync(short, 'a 1 2 3\nb 3\n');
    await expect(readWordVectorsFile(short)).rejects.toThrow(`${short} line 2: expected a word and 3 numbers`);
    await expect(readWordVectorsFile(join(dir, 'absent.txt'))).rejects.toThrow('cannot read');
    expect(() => parseWordVectorsText('\n\n', {}, 'empty.txt')).toThrow('empty.txt: no word vectors found');
  });
});
