import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic } from './atomic-write.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('writes the text, making the folder, and leaves no temp file', () => {
    const path = join(dir, 'new', 'out.jsonl');
    writeFileAtomic(path, 'a\nb\n');
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    expect(readdirSync(join(dir, 'new'))).toEqual(['out.jsonl']);
  });

  it('replaces an existing file whole', () => {
    const path = join(dir, 'replace.jsonl');
    writeFileSync(path, 'old old old old\n');
    writeFileAtomic(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
  });

  it('writes to a hidden, unique temp file in the same folder first', () => {
    const path = join(dir, 'x.jsonl');
    const a = tempPathFor(path);
    const b = tempPathFor(path);
    expect(a).not.toBe(b);
    expect(a.startsWith(join(dir, '.x.jsonl.'))).toBe(true);
    expect(a.endsWith('.tmp')).toBe(true);
  });

  it('when the rename fails, removes its temp file and names the path', () => {
    const blocked = join(dir, 'blocked');
    mkdirSync(join(blocked, 'out.jsonl'), { recursive: true }); // a folder where the file should go
    writeFileSync(join(blocked, 'out.jsonl', 'inside'), 'x');
    expect(() => writeFileAtomic(join(blocked, 'out.jsonl'), 'text')).toThrow(/blocked\/out\.jsonl: cannot write the output/);
    expect(readdirSync(blocked)).toEqual(['out.jsonl']);
  });
});
