import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignParameters, expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { BertEncoder, type BertPooling } from './bert-encoder.js';
import './register.js';
import { FIXTURES, readReference, type Reference } from './test-fixtures.js';

const TOLERANCE = 1e-4;

/** Largest |a - b| over two equally shaped nested arrays. */
function maxAbsDiff(a: readonly unknown[], b: readonly unknown[]): number {
  const fa = a.flat(Infinity) as number[];
  const fb = b.flat(Infinity) as number[];
  expect(fa.length).toBe(fb.length);
  return fa.reduce((worst, x, i) => Math.max(worst, Math.abs(x - fb[i])), 0);
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe.each([
  ['bert', FIXTURES.bert],
  ['albert', FIXTURES.albert],
] as const)('BertEncoder on tiny-%s against PyTorch transformers', (family, folder) => {
  const reference: Reference = readReference(folder);
  const sentences = reference.sentences.map((s) => s.words);
  const encoders = new Map<BertPooling, BertEncoder>();
  const encoder = (pooling: BertPooling) => {
    if (!encoders.has(pooling)) encoders.set(pooling, new BertEncoder({ model: folder, pooling }));
    return encoders.get(pooling)!;
  };
  afterAll(() => encoders.forEach((e) => e.dispose()));

  it('reads the architecture from config.json', () => {
    const e = encoder('max');
    expect(e.arch.family).toBe(family);
    expect(e.outputDim).toBe(32);
    expect(e.arch.embeddingSize).toBe(family === 'albert' ? 16 : 32);
    expect(e.arch.hiddenAct).toBe(family === 'albert' ? 'gelu_new' : 'gelu');
  });

  it('gives the same sub-word ids, word ranges and [CLS]/[SEP] as the Python tokenizer', () => {
    const sub = encoder('max').tokenize({ tokens: sentences });
    reference.sentences.forEach((ref, b) => {
      expect(sub.sentences[b].inputIds).toEqual(ref.input_ids);
      expect(sub.sentences[b].wordOffsets).toEqual(ref.word_offsets);
    });
    expect(encoder('max').tokenizer.prefixIds).toEqual([reference.cls_token_id]);
    expect(encoder('max').tokenizer.suffixIds).toEqual([reference.sep_token_id]);
    // the fixture covers a word split in several sub-words and one that tokenizes to nothing ([UNK])
    expect(reference.sentences.some((s) => s.word_ids.some((ids) => ids.length >= 3))).toBe(true);
    expect(reference.sentences.some((s) => s.words.includes('\u200b'))).toBe(true);
  });

  it.each(['max', 'first'] as const)('%s-pooled word states and [CLS] equal the reference in a padded batch', (pooling) => {
    const e = encoder(pooling);
    const { hidden, mask, cls } = e.encode({ tokens: sentences }, false);
    const T = Math.max(...sentences.map((s) => s.length));
    expect(hidden.shape).toEqual([sentences.length, T, 32]);
    expect(mask.shape).toEqual([sentences.length, T]);
    expect(cls.shape).toEqual([sentences.length, 32]);
    const hiddenRows = hidden.arraySync();
    const maskRows = mask.arraySync();
    const clsRows = cls.arraySync();
    reference.sentences.forEach((ref, b) => {
      const W = ref.words.length;
      const expected = pooling === 'max' ? ref.word_max : ref.word_first;
      expect(maxAbsDiff(hiddenRows[b].slice(0, W), expected)).toBeLessThan(TOLERANCE);
      expect(maxAbsDiff(clsRows[b], ref.cls)).toBeLessThan(TOLERANCE);
      expect(maskRows[b]).toEqual([...Array(W).fill(1), ...Array(T - W).fill(0)]);
      for (const row of hiddenRows[b].slice(W)) expect(row.every((x) => x === 0)).toBe(true); // padding words are 0
    });
    tf.dispose([hidden, mask, cls]);
  });

  it('gives each sentence the same states alone as in a batch (padding is never attended to)', () => {
    const e = encoder('max');
    const alone = e.encode({ tokens: [sentences[2]] }, false);
    const batched = e.encode({ tokens: [sentences[3], sentences[2]] }, false);
    const W = sentences[2].length;
    expect(maxAbsDiff(batched.hidden.arraySync()[1].slice(0, W), alone.hidden.arraySync()[0])).toBeLessThan(1e-5);
    expect(maxAbsDiff(batched.cls.arraySync()[1], alone.cls.arraySync()[0])).toBeLessThan(1e-5);
    tf.dispose([alone.hidden, alone.mask, alone.cls, batched.hidden, batched.mask, batched.cls]);
  });

  it('leaks no tensor, and rejects an empty sentence or word with its index', () => {
    const e = encoder('max');
    expectNoLeak(() => e.encode({ tokens: sentences }, false));
    expectNoLeak(() => e.encode({ tokens: sentences }, true));
    expect(() => e.encode({ tokens: [['Paris'], []] }, false)).toThrow(/bert-encoder.v1: batch.tokens\[1\] is empty/);
    expect(() => e.encode({ tokens: [['Paris', '']] }, false)).toThrow(/bert-encoder.v1: batch.tokens\[0\]\[1\] is "", expected a non-empty string/);
    expect(() => e.encode({ tokens: [] }, false)).toThrow(/bert-encoder.v1: batch.tokens must be a non-empty array/);
  });
});

describe('BertEncoder config, registry and saved assets', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'spanrel-bert-assets-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('rebuilds from config() plus assetsDir with no weights file, and matches once the parameters are assigned', async () => {
    const original = registry.build<BertEncoder>('bert-encoder.v1', { model: FIXTURES.albert, pooling: 'first', seed: 5 });
    await original.saveAssets(dir);
    expect(readdirSync(dir).sort()).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);
    const config = JSON.parse(JSON.stringify(original.config()));
    expect(config).toEqual({
      model: FIXTURES.albert,
      revision: 'main',
      cacheDir: null,
      pooling: 'first',
      hiddenDropout: 0.1,
      attentionDropout: 0.1,
      trainable: true,
      seed: 5,
    });
    const rebuilt = registry.build<BertEncoder>('bert-encoder.v1', { ...config, model: 'not-downloaded/anywhere', assetsDir: dir });
    expect(rebuilt.folder).toBe(dir);
    expect([...rebuilt.parameters().keys()]).toEqual([...original.parameters().keys()]);
    const batch = { tokens: [['John', 'works', 'for', 'Acme', '.']] };
    const before = rebuilt.encode(batch, false);
    const expected = original.encode(batch, false);
    expect(maxAbsDiff(before.hidden.arraySync(), expected.hidden.arraySync())).toBeGreaterThan(1e-2); // not loaded yet
    assignParameters(rebuilt, original.parameters());
    const after = rebuilt.encode(batch, false);
    expect(maxAbsDiff(after.hidden.arraySync(), expected.hidden.arraySync())).toBe(0);
    expect(maxAbsDiff(after.cls.arraySync(), expected.cls.arraySync())).toBe(0);
    tf.dispose([before, expected, after].flatMap((o) => [o.hidden, o.mask, o.cls]));
    original.dispose();
    rebuilt.dispose();
  });

  it('names an over-long sentence, its index and its sub-word count', () => {
    const e = registry.build<BertEncoder>('bert-encoder.v1', { model: FIXTURES.bert });
    const long = Array.from({ length: 40 }, () => 'unbelievable'); // 3 sub-words each: 120 + 2 > 64
    expect(() => e.encode({ tokens: [['Paris'], long] }, false)).toThrow(
      /sentence 1 of the batch \(40 words: "unbelievable unbelievable .*"\) has 122 sub-words with its special tokens, more than the model's 64 positions/,
    );
    const fits = Array.from({ length: 62 }, (_, i) => (i % 2 ? 'Paris' : 'Acme')); // 1 sub-word each: 62 + 2 = 64
    const out = e.encode({ tokens: [fits] }, false);
    expect(out.hidden.shape).toEqual([1, 62, 32]);
    tf.dispose([out.hidden, out.mask, out.cls]);
    e.dispose();
  });

  it('downloads a hub model into the cache once, then builds it offline through the registry', async () => {
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const match = /^\/tiny\/albert-test\/resolve\/main\/([\w.]+)$/.exec(req.url ?? '');
      try {
        if (!match) throw new Error('no such model');
        res.end(readFileSync(join(FIXTURES.albert, match[1])));
      } catch {
        res.statusCode = 404;
        res.end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const remoteHost = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const cacheDir = join(dir, 'cache');
    try {
      expect(() => registry.build('bert-encoder.v1', { model: 'tiny/albert-test', cacheDir })).toThrow(
        /"tiny\/albert-test" is not a local folder and is not downloaded to .*cache\/tiny\/albert-test\/main; download it first with "await BertEncoder.fromPretrained\("tiny\/albert-test"\)"/,
      );
      const downloaded = await BertEncoder.fromPretrained('tiny/albert-test', { cacheDir, remoteHost });
      expect(downloaded.folder).toBe(join(cacheDir, 'tiny', 'albert-test', 'main'));
      expect(readdirSync(downloaded.folder).sort()).toEqual(['config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json']);
      expect(requests).toContain('/tiny/albert-test/resolve/main/model.safetensors');
      const count = requests.length;
      const offline = registry.build<BertEncoder>('bert-encoder.v1', downloaded.config());
      expect(requests.length).toBe(count);
      const ref = readReference(FIXTURES.albert).sentences[0];
      const { hidden, mask, cls } = offline.encode({ tokens: [ref.words] }, false);
      expect(maxAbsDiff(hidden.arraySync()[0], ref.word_max)).toBeLessThan(TOLERANCE);
      tf.dispose([hidden, mask, cls]);
      await expect(BertEncoder.fromPretrained('tiny/missing', { cacheDir, remoteHost })).rejects.toThrow(/tiny\/missing\/resolve\/main\/config.json failed with HTTP 404/);
      downloaded.dispose();
      offline.dispose();
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a bad config with the field named', () => {
    expect(() => new BertEncoder({ model: FIXTURES.bert, pooling: 'mean' as BertPooling })).toThrow(/config.pooling must be "max" or "first", got "mean"/);
    expect(() => new BertEncoder({ model: FIXTURES.bert, hiddenDropout: 1.5 })).toThrow(/config.hiddenDropout must be null or a number in \[0, 1\)/);
    expect(() => new BertEncoder({ model: '' })).toThrow(/config.model must be a model folder or a Hugging Face model id/);
    expect(() => new BertEncoder({ model: FIXTURES.bert, assetsDir: join(dir, 'missing') })).toThrow(/the assets folder .*missing does not exist/);
  });
});
