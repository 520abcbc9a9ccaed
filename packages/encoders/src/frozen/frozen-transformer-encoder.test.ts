import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BiLstmCharCnnEncoder } from '../bilstm/bilstm-char-cnn-encoder.js';
import '../bilstm/register.js';
import { buildVocabulary } from '../vocab/build-vocabulary.js';
import { FrozenTransformerEncoder } from './frozen-transformer-encoder.js';
import { precomputeIfNeeded } from './precompute.js';
import './register.js';
import { SubwordAligner, type AlignerTokenizer } from './subword-alignment.js';

/** Tiny BERT exported to ONNX by fixtures/tiny-bert-onnx/generate.py, with PyTorch reference features. */
const FIXTURE = fileURLToPath(new URL('../../fixtures/tiny-bert-onnx', import.meta.url));
interface ReferenceSentence {
  words: string[];
  input_ids: number[];
  word_ranges: [number, number][];
  first: number[][];
  max: number[][];
  mean: number[][];
  cls: number[];
}
const reference = JSON.parse(readFileSync(join(FIXTURE, 'reference.json'), 'utf8')) as { hidden_size: number; sentences: ReferenceSentence[] };
const SENTENCES = reference.sentences.map((s) => s.words);

const dir = mkdtempSync(join(tmpdir(), 'spanrel-frozen-'));
const opened: FrozenTransformerEncoder[] = [];
function frozen(config: Partial<ConstructorParameters<typeof FrozenTransformerEncoder>[0]> = {}): FrozenTransformerEncoder {
  const enc = new FrozenTransformerEncoder({ model: FIXTURE, cacheDir: join(dir, 'cache'), batchSize: 3, ...config });
  opened.push(enc);
  return enc;
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(async () => {
  for (const enc of opened) await enc.unloadModel();
  rmSync(dir, { recursive: true, force: true });
});

function expectAllClose(actual: number[], expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  const worst = Math.max(...actual.map((x, i) => Math.abs(x - expected[i])));
  expect(worst).toBeLessThan(tol);
}

describe('FrozenTransformerEncoder', () => {
  it('lays out sub-words like the PyTorch reference ([CLS] word pieces [SEP], [UNK] for empty words)', async () => {
    const { AutoTokenizer } = await import('@huggingface/transformers');
    const tokenizer = (await AutoTokenizer.from_pretrained(FIXTURE, { local_files_only: true })) as unknown as AlignerTokenizer;
    const aligner = new SubwordAligner(tokenizer, 64, FIXTURE);
    reference.sentences.forEach((s, i) => {
      const layout = aligner.align(s.words, i);
      expect(layout.ids).toEqual(s.input_ids);
      expect(layout.wordStarts.map((start, t) => [start, layout.wordEnds[t]])).toEqual(s.word_ranges);
    });
    expect(() => aligner.align(Array.from({ length: 70 }, () => 'John'), 3)).toThrow('sentence 3 (70 words) is 72 sub-words long');
  });

  for (const pooling of ['first', 'max', 'mean'] as const) {
    it(`gives the PyTorch features (pooling ${pooling}) to 1e-4 from a padded batch`, async () => {
      const enc = frozen({ pooling, cacheDir: null });
      expect(enc.outputDim).toBe(reference.hidden_size);
      const out = await enc.encodeAsync({ tokens: SENTENCES });
      const T = Math.max(...SENTENCES.map((s) => s.length));
      expect(out.hidden.shape).toEqual([SENTENCES.length, T, 32]);
      const hidden = out.hidden.arraySync();
      const mask = out.mask.arraySync();
      const cls = out.cls.arraySync();
      reference.sentences.forEach((s, b) => {
        expect(mask[b]).toEqual(Array.from({ length: T }, (_, t) => (t < s.words.length ? 1 : 0)));
        s.words.forEach((_, t) => expectAllClose(hidden[b][t], s[pooling][t], 1e-4));
        for (let t = s.words.length; t < T; t++) expect(hidden[b][t].every((x) => x === 0)).toBe(true);
        expectAllClose(cls[b], s.cls, 1e-4);
      });
      expect(enc.stats.modelRuns).toBe(2); // 4 sentences in runs of 3
      tf.dispose(out as never);
    });
  }

  it('caches on disk: a second encoder returns identical arrays without loading the model', async () => {
    const cacheDir = join(dir, 'shared-cache');
    const first = frozen({ cacheDir, pooling: 'max' });
    const batch = { tokens: [SENTENCES[1], SENTENCES[0], SENTENCES[1]] };
    const a = await first.encodeAsync(batch);
    expect(first.stats).toMatchObject({ modelRuns: 1, sentencesComputed: 2 }); // the repeated sentence is computed once
    const again = first.encode(batch, true);
    expect(first.stats.modelRuns).toBe(1);
    expect(again.hidden.arraySync()).toEqual(a.hidden.arraySync());

    const second = frozen({ cacheDir, pooling: 'max' });
    expect(second.isPrecomputed(batch)).toBe(true);
    const b = await second.encodeAsync(batch);
    expect(second.modelLoaded).toBe(false);
    expect(second.stats).toMatchObject({ modelRuns: 0, sentencesComputed: 0, diskHits: 2, memoryHits: 1 });
    expect(b.hidden.arraySync()).toEqual(a.hidden.arraySync());
    expect(b.cls.arraySync()).toEqual(a.cls.arraySync());

    expectNoLeak(() => second.encode(batch, false));
    // another pooling is another key: no hit
    const other = frozen({ cacheDir, pooling: 'first' });
    expect(other.isPrecomputed(batch)).toBe(false);
    tf.dispose([a, again, b] as never);
  });

  it('refuses to encode a sentence that was never precomputed, saying what to do', () => {
    const enc = frozen({ cacheDir: join(dir, 'empty-cache') });
    expect(() => enc.encode({ tokens: [['never', 'seen']] }, false)).toThrow(
      /sentence 0 of the batch \("never seen"\) has no precomputed features .*call `await encoder\.precompute\(batch\)`/,
    );
  });

  it('is frozen, rebuilds from config, and from saved assets reuses the same cache keys', async () => {
    const cacheDir = join(dir, 'asset-cache');
    const enc = frozen({ cacheDir });
    expect(enc.trainable).toBe(false);
    expect(() => (enc.trainable = true)).toThrow('cannot be trained');
    enc.trainable = false;
    expect(enc.parameters().size).toBe(0);
    await enc.precompute({ tokens: SENTENCES });
    const assets = join(dir, 'assets');
    await enc.saveAssets(assets);
    const rebuilt = registry.build<FrozenTransformerEncoder>('frozen-transformer-encoder.v1', { ...enc.config(), model: '/nonexistent', assetsDir: assets });
    opened.push(rebuilt);
    expect(rebuilt.modelId).toBe(enc.modelId);
    expect(rebuilt.isPrecomputed({ tokens: SENTENCES })).toBe(true);
    expect(() => new FrozenTransformerEncoder({ model: join(dir, 'no-model') })).toThrow('config.json');
    expect(() => new FrozenTransformerEncoder({ model: FIXTURE, pooling: 'last' as never })).toThrow('config.pooling');
  });

  it('fills the contextual slot of the BiLSTM encoder (precompute, then a synchronous encode)', async () => {
    const contextual = frozen({ cacheDir: join(dir, 'slot-cache') });
    const bilstm = new BiLstmCharCnnEncoder(
      { wordEmbedding: { mode: 'trained', dim: 4 }, charDim: 3, charFilterWidths: [2], charFiltersPerWidth: 3, lstmHiddenDim: 5, lstmLayers: 1 },
      { vocabulary: buildVocabulary(SENTENCES, { minCount: 1 }), contextual },
    );
    expect(bilstm.lstm.inputDim).toBe(4 + 3 + 32);
    const batch = { tokens: [SENTENCES[2], SENTENCES[0]] };
    expect(() => bilstm.encode(batch, false)).toThrow('no precomputed features');
    await precomputeIfNeeded(bilstm, batch);
    const out = bilstm.encode(batch, true);
    expect(out.hidden.shape).toEqual([2, 7, 10]);
    tf.dispose(out as never);
    bilstm.dispose();
  });
});
