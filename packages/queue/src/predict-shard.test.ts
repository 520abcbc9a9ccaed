import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDocuments } from '@spanrel/datasets';
import { predictShard } from './predict-shard.js';
import { checkShardOutput } from './shard-output.js';
import { fakePredictor, writeShard } from './testing/shards.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-predict-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The doc_key of every line of a JSONL file. */
const docKeys = (path: string) =>
  readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { doc_key: string }).doc_key);

describe('predictShard', () => {
  it('predicts every sentence and writes one line per document, with the predictions', async () => {
    const shard = writeShard(dir, 'a.jsonl', ['d1', 'd2', 'd3']);
    const out = join(dir, 'out', 'a.jsonl');
    const predict = fakePredictor();
    const result = await predictShard({ shard, out }, predict, { worker: 'here' });
    expect(result).toEqual({ outcome: 'written', documents: 3, sentences: 6, worker: 'here' });
    expect(predict.calls).toBe(1);
    expect(docKeys(out)).toEqual(['d1', 'd2', 'd3']);
    const line = JSON.parse(readFileSync(out, 'utf8').split('\n')[0]) as { sentences: string[][]; ner: number[][][] };
    // The stand-in marks each sentence's first word, at document-level offsets with inclusive ends.
    expect(line.ner).toEqual([[[0, 0, 'Person']], [[line.sentences[0].length, line.sentences[0].length, 'Person']]]);
    expect(readdirSync(join(dir, 'out'))).toEqual(['a.jsonl']); // no temp file left
  });

  it('skips a shard whose output is complete: no prediction, the file untouched', async () => {
    const shard = writeShard(dir, 'b.jsonl', ['d1', 'd2']);
    const out = join(dir, 'out', 'b.jsonl');
    await predictShard({ shard, out }, fakePredictor());
    const before = statSync(out).mtimeMs;
    const predict = fakePredictor();
    const lines: string[] = [];
    const result = await predictShard({ shard, out }, predict, { log: (l) => lines.push(l) });
    expect(result.outcome).toBe('skipped');
    expect(predict.calls).toBe(0);
    expect(statSync(out).mtimeMs).toBe(before);
    expect(lines.join('\n')).toMatch(/skipped, .*b\.jsonl is already complete \(4 sentences\)/);
  });

  it('predicts again over an incomplete or foreign output', async () => {
    const shard = writeShard(dir, 'c.jsonl', ['d1', 'd2']);
    const out = join(dir, 'out', 'c.jsonl');
    await predictShard({ shard, out }, fakePredictor());
    const full = readFileSync(out, 'utf8');
    for (const broken of [full.split('\n')[0] + '\n', full.slice(0, full.length - 20), full.replace('"d2"', '"other"')]) {
      writeFileSync(out, broken);
      const predict = fakePredictor();
      expect((await predictShard({ shard, out }, predict)).outcome).toBe('written');
      expect(predict.calls).toBe(1);
      expect(readFileSync(out, 'utf8')).toBe(full);
    }
  });

  it('fails, writing nothing, when the model returns too few predictions or the shard is bad', async () => {
    const shard = writeShard(dir, 'd.jsonl', ['d1']);
    const out = join(dir, 'out', 'd.jsonl');
    await expect(predictShard({ shard, out }, async () => [])).rejects.toThrow(/d\.jsonl: the model returned 0 predictions for 2 sentences/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"doc_key": "x", "sentences": [["a"]], "ner": [[]], "relations": [[]]}\n{not json\n');
    await expect(predictShard({ shard: bad, out: join(dir, 'out', 'bad.jsonl') }, fakePredictor())).rejects.toThrow(/bad\.jsonl.*line 2/);
    expect(readdirSync(join(dir, 'out')).filter((n) => n.startsWith('d.') || n.startsWith('bad') || n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('checkShardOutput', () => {
  it('says why an output is not complete', async () => {
    const shard = writeShard(dir, 'e.jsonl', ['k1', 'k2']);
    const input = readDocuments(shard, { format: 'dygie' });
    const out = join(dir, 'out', 'e.jsonl');
    expect(checkShardOutput(out, input)).toEqual({ complete: false, reason: 'no output yet' });
    await predictShard({ shard, out }, fakePredictor());
    expect(checkShardOutput(out, input)).toEqual({ complete: true });
    expect(checkShardOutput(out, input.slice(0, 3))).toEqual({ complete: false, reason: '4 sentences, the shard has 3' });
    writeFileSync(out, '{"doc_key": "k1", "sentences": [[');
    expect(checkShardOutput(out, input)).toMatchObject({ complete: false, reason: expect.stringMatching(/^unreadable: /) });
  });
});
