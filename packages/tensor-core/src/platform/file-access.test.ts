import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { joinPath } from './file-access.js';
import { fileAccess as browserFiles } from './no-file-access.js';
import { fileAccess as nodeFiles } from './node-file-access.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-file-access-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('joinPath', () => {
  it('joins with single slashes, keeping a leading slash and a URL scheme', () => {
    expect(joinPath('/a/b/', 'c', 'd.json')).toBe('/a/b/c/d.json');
    expect(joinPath('model', '', 'encoder')).toBe('model/encoder');
    expect(joinPath('https://host/m/', '/encoder')).toBe('https://host/m/encoder');
  });
});

describe('fileAccess (Node)', () => {
  it('writes through a temporary file, reads back bytes and text, streams lines of plain and gzipped files', async () => {
    const sub = join(dir, 'a', 'b');
    await nodeFiles.makeDirectory(sub);
    await nodeFiles.writeFile(join(sub, 'x.txt'), 'one\ntwo\n');
    expect(readdirSync(sub)).toEqual(['x.txt']); // no temporary left behind
    expect(nodeFiles.readTextFile(join(sub, 'x.txt'))).toBe('one\ntwo\n');
    expect(Array.from(nodeFiles.readFile(join(sub, 'x.txt')).slice(0, 3))).toEqual([111, 110, 101]);
    writeFileSync(join(sub, 'y.txt.gz'), gzipSync('three\r\nfour'));
    const lines: string[] = [];
    for await (const line of nodeFiles.readLines(join(sub, 'y.txt.gz'))) lines.push(line);
    expect(lines).toEqual(['three', 'four']);
    await expect((async () => {
      for await (const _ of nodeFiles.readLines(join(sub, 'absent.txt'))) void _;
    })()).rejects.toThrow('ENOENT');
    expect(nodeFiles.exists(sub)).toBe(true);
    expect(nodeFiles.resolvePackage('@tensorflow/tfjs-core', [import.meta.url])).toMatch(/tfjs-core/);
    expect(nodeFiles.resolvePackage('no-such-package-spanrel', [import.meta.url])).toBeUndefined();
  });
});

describe('fileAccess (browser entry)', () => {
  it('has no files: reads and writes throw naming the path and what to use instead', async () => {
    expect(() => browserFiles.readFile('model/encoder/vocabulary.json')).toThrow(/^model\/encoder\/vocabulary\.json: reading or writing files needs Node\.js.*loadModelFromUrl/);
    await expect(browserFiles.writeFile('out.json', '{}')).rejects.toThrow('out.json: reading or writing files needs Node.js');
    expect(browserFiles.exists('anything')).toBe(false);
    expect(existsSync(join(dir, 'out.json'))).toBe(false);
  });
});
