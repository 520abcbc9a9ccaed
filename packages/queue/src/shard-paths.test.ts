import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assertDistinctOutputs, expandShardPattern, shardOutputPath } from './shard-paths.js';
import { shardJobId } from './shard-job.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-shard-paths-'));
for (const name of ['part-1.jsonl', 'part-2.jsonl', 'part-10.jsonl', 'notes.txt', '.hidden.jsonl']) writeFileSync(join(dir, name), '');
mkdirSync(join(dir, 'sub.jsonl'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('expandShardPattern', () => {
  it('expands wildcards in the file name, sorted, absolute, files only, no hidden ones', () => {
    expect(expandShardPattern(join(dir, '*.jsonl'))).toEqual(['part-1.jsonl', 'part-10.jsonl', 'part-2.jsonl'].map((n) => join(dir, n)));
    expect(expandShardPattern(join(dir, 'part-?.jsonl'))).toEqual(['part-1.jsonl', 'part-2.jsonl'].map((n) => join(dir, n)));
    expect(expandShardPattern(join(dir, 'part-[2-9].jsonl'))).toEqual([join(dir, 'part-2.jsonl')]);
  });

  it('takes a file as it is and a folder as its .jsonl files', () => {
    expect(expandShardPattern(join(dir, 'notes.txt'))).toEqual([join(dir, 'notes.txt')]);
    expect(expandShardPattern(dir)).toHaveLength(3);
  });

  it('says what is wrong', () => {
    expect(() => expandShardPattern(join(dir, '*.json'))).toThrow(/\*\.json: matches no shard file/);
    expect(() => expandShardPattern(join(dir, 'nope.jsonl'))).toThrow(/nope\.jsonl: no such file or folder/);
    expect(() => expandShardPattern(join(dir, '*', 'a.jsonl'))).toThrow(/wildcards are supported in the file name only/);
  });
});

describe('shard job ids and outputs', () => {
  it('derive the job id from the shard path: stable, distinct per folder, without ":"', () => {
    expect(shardJobId(join(dir, 'part-1.jsonl'))).toBe(shardJobId(join(dir, '.', 'part-1.jsonl')));
    expect(shardJobId(join(dir, 'part-1.jsonl'))).not.toBe(shardJobId(join(dir, 'x', 'part-1.jsonl')));
    expect(shardJobId(join(dir, 'a:b.jsonl'))).toMatch(/^a_b\.jsonl-[0-9a-f]{12}$/);
  });

  it('put each output under its shard name, and refuse two shards of one name', () => {
    expect(shardOutputPath('/data/shards/p.jsonl', '/out')).toBe('/out/p.jsonl');
    expect(() => assertDistinctOutputs(['/a/p.jsonl', '/b/p.jsonl'], '/out')).toThrow(/\/a\/p\.jsonl and \/b\/p\.jsonl would both write \/out\/p\.jsonl/);
  });
});
