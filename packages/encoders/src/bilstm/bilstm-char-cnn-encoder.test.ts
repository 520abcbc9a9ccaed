import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { expectNoLeak, initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Encoder } from '../encoder.js';
import { buildVocabulary } from '../vocab/build-vocabulary.js';
import { BiLstmCharCnnEncoder, type BiLstmCharCnnEncoderConfig } from './bilstm-char-cnn-encoder.js';
import './register.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-bilstm-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRAIN = [
  ['John', 'Smith', 'works', 'for', 'IBM', 'in', 'Paris', '.'],
  ['IBM', 'hired', 'John', '.'],
  ['Mary', 'lives', 'in', 'Paris', '.'],
];
const SMALL: BiLstmCharCnnEncoderConfig = {
  wordEmbedding: { mode: 'trained', dim: 6 },
  charDim: 4,
  charFilterWidths: [2, 3],
  charFiltersPerWidth: 5,
  lstmHiddenDim: 7,
  lstmLayers: 2,
  seed: 11,
};

function small(config: BiLstmCharCnnEncoderConfig = SMALL): BiLstmCharCnnEncoder {
  return new BiLstmCharCnnEncoder(config, { vocabulary: buildVocabulary(TRAIN, { minCount: 1 }) });
}

function rows3(t: tf.Tensor): number[][][] {
  return t.arraySync() as number[][][];
}

function expectClose(a: number[], b: number[], tol = 1e-5): void {
  expect(a.length).toBe(b.length);
  a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(tol));
}

describe('BiLstmCharCnnEncoder', () => {
  it('has the paper sizes by default: 400-d states, 150 char features, 3 highway BiLSTM layers', () => {
    const enc = small({ wordEmbedding: { mode: 'trained', dim: 10 } });
    expect(enc.outputDim).toBe(400);
    expect(enc.charCnn.outputDim).toBe(150);
    expect(enc.lstm.config()).toMatchObject({ inputDim: 160, hiddenDim: 200, numLayers: 3, highway: true, dropout: 0.4 });
    expect(enc.config()).toMatchObject({ charDim: 8, charFilterWidths: [3, 4, 5], charFiltersPerWidth: 50, embeddingDropout: 0.5 });
    const out = enc.encode({ tokens: [['Short', 'one'], ['A', 'longer', 'sentence', 'here']] }, false);
    expect(out.hidden.shape).toEqual([2, 4, 400]);
    tf.dispose(out as never);
    enc.dispose();
  });

  it('returns hidden, mask, cls = masked max and word vectors, 0 at padding, without leaking', () => {
    const enc = small();
    const batch = { tokens: [['John', 'works', '.'], ['Mary', 'lives', 'in', 'Paris', 'today', '.']] };
    const out = enc.encode(batch, false);
    expect(out.hidden.shape).toEqual([2, 6, 14]);
    expect(out.mask.arraySync()).toEqual([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]]);
    expect(out.cls.shape).toEqual([2, 14]);
    expect(out.wordVectors!.shape).toEqual([2, 6, 6]);
    expect(enc.wordVectorDim).toBe(6);
    const hidden = rows3(out.hidden);
    for (let t = 3; t < 6; t++) expect(hidden[0][t].every((x) => x === 0)).toBe(true);
    for (let t = 3; t < 6; t++) expect(rows3(out.wordVectors!)[0][t].every((x) => x === 0)).toBe(true);
    const cls = out.cls.arraySync() as number[][];
    [3, 6].forEach((len, b) => {
      const expected = hidden[b][0].map((_, d) => Math.max(...hidden[b].slice(0, len).map((row) => row[d])));
      expectClose(cls[b], expected, 1e-7);
    });
    // "today" is not in the vocabulary: its word vector is the <unk> row
    const unk = enc.parameters().get('words.weight')!.arraySync() as number[][];
    expectClose(rows3(out.wordVectors!)[1][4], unk[1], 1e-7);
    tf.dispose(out as never);
    expectNoLeak(() => enc.encode(batch, true));
    enc.dispose();
  });

  it('never leaks padding: a sentence gives the same states (both directions) alone and in a padded batch', () => {
    const enc = small();
    const short = ['IBM', 'hired', 'Mary'];
    const alone = rows3(tf.tidy(() => enc.encode({ tokens: [short] }, false).hidden))[0];
    const batched = rows3(tf.tidy(() => enc.encode({ tokens: [['John', 'Smith', 'works', 'for', 'IBM', 'in', 'Paris', '.'], short, ['Paris']] }, false).hidden))[1];
    for (let t = 0; t < short.length; t++) expectClose(batched[t], alone[t]); // forward half and backward half
    // and the comparison can fail: the last word reaches the first state (through the backward direction)
    const other = rows3(tf.tidy(() => enc.encode({ tokens: [['IBM', 'hired', 'John']] }, false).hidden))[0];
    expect(Math.max(...other[0].map((x, d) => Math.abs(x - alone[0][d])))).toBeGreaterThan(1e-4);
    enc.dispose();
  });

  it('applies seeded dropout only while training', () => {
    const a = small();
    const b = small();
    const batch = { tokens: [['John', 'works', 'for', 'IBM']] };
    const evalA = tf.tidy(() => a.encode(batch, false).hidden.arraySync());
    const trainA = tf.tidy(() => a.encode(batch, true).hidden.arraySync());
    const trainB = tf.tidy(() => b.encode(batch, true).hidden.arraySync());
    expect(trainA).toEqual(trainB); // same seed, same masks
    expect(trainA).not.toEqual(evalA);
    expect(tf.tidy(() => a.encode(batch, false).hidden.arraySync())).toEqual(evalA);
    a.dispose();
    b.dispose();
  });

  it('sends gradients to the char embeddings, conv filters, LSTM and trained word embeddings; trainable=false freezes', () => {
    const enc = small();
    const batch = { tokens: [['John', 'works', 'for', 'IBM'], ['Mary', '.']] };
    const { value, grads } = tf.variableGrads(() => {
      const out = enc.encode(batch, true);
      return tf.add(tf.sum(tf.square(out.hidden)), tf.sum(out.cls)) as tf.Scalar;
    });
    const params = enc.parameters();
    for (const name of ['chars.embedding.weight', 'chars.conv2.kernel', 'chars.conv3.kernel', 'words.weight', 'lstm.layers.0.forward.kernel', 'lstm.layers.1.backward.recurrentKernel', 'lstm.layers.1.highway.kernel']) {
      const v = params.get(name);
      expect(v, name).toBeDefined();
      const g = grads[v!.name];
      expect(g, name).toBeDefined();
      expect(tf.max(tf.abs(g)).dataSync()[0], name).toBeGreaterThan(0);
    }
    const wordGrad = grads[params.get('words.weight')!.name].arraySync() as number[][];
    expect(wordGrad[0].every((x) => x === 0)).toBe(true); // <pad> row
    expect(wordGrad[enc.vocabulary.words.index('paris')].every((x) => x === 0)).toBe(true); // not in the batch
    tf.dispose([value, ...Object.values(grads)]);
    enc.trainable = false;
    expect([...params.values()].every((v) => !v.trainable)).toBe(true);
    enc.dispose();
  });

  it('rebuilds from config + saved assets (registry) with identical outputs', async () => {
    const enc = small();
    const assets = join(dir, 'trained');
    await enc.saveAssets(assets);
    const rebuilt = registry.build<Encoder>('bilstm-charcnn-encoder.v1', { ...enc.config(), assetsDir: assets });
    for (const [name, v] of rebuilt.parameters()) v.assign(enc.parameters().get(name)!); // what a checkpoint load does
    expect(rebuilt.config()).toEqual(enc.config());
    const batch = { tokens: [['John', 'works', 'in', 'Zürich', '!'], ['IBM']] };
    const a = tf.tidy(() => enc.encode(batch, false).hidden.arraySync());
    const b = tf.tidy(() => rebuilt.encode(batch, false).hidden.arraySync());
    expect(b).toEqual(a);
    expect(() => registry.build('bilstm-charcnn-encoder.v1', enc.config())).toThrow('config.assetsDir');
    enc.dispose();
    (rebuilt as BiLstmCharCnnEncoder).dispose();
  });

  it('uses fixed GloVe vectors (lowercased, zero for OOV), saves the subset and reloads without the file', async () => {
    const glove = join(dir, 'glove.txt');
    writeFileSync(glove, ['john 1 0 0 0', 'ibm 0 1 0 0', 'paris 0 0 1 0', 'works 0.5 0.5 0 0', 'unused 9 9 9 9'].join('\n'));
    const config: BiLstmCharCnnEncoderConfig = { ...SMALL, wordEmbedding: { mode: 'fixed', source: glove } };
    const enc = await BiLstmCharCnnEncoder.fromData(TRAIN, config);
    expect(enc.vocabulary.words.entries().sort()).toEqual(['ibm', 'john', 'paris', 'works']);
    expect(enc.wordVectorDim).toBe(4);
    expect(enc.parameters().has('words.weight')).toBe(false); // fixed vectors are an asset, not a parameter
    const batch = { tokens: [['JOHN', 'works', 'at', 'Ibm'], ['unused']] };
    const vectors = rows3(tf.tidy(() => enc.encode(batch, false).wordVectors!));
    expect(vectors[0]).toEqual([[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 0, 0], [0, 1, 0, 0]]); // "at": OOV -> 0
    expect(vectors[1][0]).toEqual([0, 0, 0, 0]); // in the file but not in the data: not kept
    const { grads } = tf.variableGrads(() => tf.sum(enc.encode(batch, true).hidden) as tf.Scalar);
    expect(Object.keys(grads).length).toBe(enc.parameters().size); // every parameter trains; no word table among them
    tf.dispose(Object.values(grads));

    const assets = join(dir, 'fixed');
    await enc.saveAssets(assets);
    rmSync(glove);
    const rebuilt = registry.build<BiLstmCharCnnEncoder>('bilstm-charcnn-encoder.v1', { ...enc.config(), assetsDir: assets });
    for (const [name, v] of rebuilt.parameters()) v.assign(enc.parameters().get(name)!);
    const a = enc.encode(batch, false);
    const b = rebuilt.encode(batch, false);
    expect(b.hidden.arraySync()).toEqual(a.hidden.arraySync());
    expect(b.wordVectors!.arraySync()).toEqual(a.wordVectors!.arraySync());
    tf.dispose([a, b] as never);
    enc.dispose();
    rebuilt.dispose();
  });

  it('keeps the fixed vectors of vectorSentences words, but takes characters from training only', async () => {
    const glove = join(dir, 'glove-extra.txt');
    writeFileSync(glove, ['john 1 0 0 0', 'ibm 0 1 0 0', 'unused 9 9 9 9', 'qatar 0 0 0 1'].join('\n'));
    const config: BiLstmCharCnnEncoderConfig = { ...SMALL, wordEmbedding: { mode: 'fixed', source: glove } };
    const base = await BiLstmCharCnnEncoder.fromData(TRAIN, config);
    const enc = await BiLstmCharCnnEncoder.fromData(TRAIN, config, { vectorSentences: [['Qatar', 'and', 'Ωmega']] });
    expect(enc.vocabulary.words.entries().sort()).toEqual([...base.vocabulary.words.entries(), 'qatar'].sort());
    expect(enc.vocabulary.chars.entries()).toEqual(base.vocabulary.chars.entries()); // 'Ω' is not in the training text
    const vectors = rows3(tf.tidy(() => enc.encode({ tokens: [['Qatar', 'unused']] }, false).wordVectors!));
    expect(vectors[0]).toEqual([[0, 0, 0, 1], [0, 0, 0, 0]]);
    // A trained table ignores them: it learns only from the training words.
    const trained = await BiLstmCharCnnEncoder.fromData(TRAIN, SMALL, { minCount: 1, vectorSentences: [['Qatar']] });
    expect(trained.vocabulary.words.has('qatar')).toBe(false);
    for (const e of [base, enc, trained]) e.dispose();
  });

  it('concatenates frozen contextual features from another encoder and rebuilds it from its assets', async () => {
    const inner = small({ ...SMALL, lstmHiddenDim: 3, lstmLayers: 1, seed: 5 });
    const outer = new BiLstmCharCnnEncoder({ ...SMALL, seed: 6 }, { vocabulary: buildVocabulary(TRAIN, { minCount: 1 }), contextual: inner });
    expect(outer.lstm.inputDim).toBe(6 + 10 + 6);
    expect(inner.trainable).toBe(false);
    expect(outer.config().contextual).toEqual({ name: 'bilstm-charcnn-encoder.v1', config: inner.config() });
    const batch = { tokens: [['Mary', 'works'], ['IBM', 'in', 'Paris']] };
    const { grads } = tf.variableGrads(() => tf.sum(outer.encode(batch, true).hidden) as tf.Scalar);
    const innerNames = new Set([...inner.parameters().values()].map((v) => v.name));
    expect(Object.keys(grads).some((n) => innerNames.has(n))).toBe(false); // the contextual encoder is frozen
    expect(Object.keys(grads).length).toBe(outer.parameters().size - innerNames.size);
    tf.dispose(Object.values(grads));

    const assets = join(dir, 'contextual');
    await outer.saveAssets(assets);
    const rebuilt = registry.build<BiLstmCharCnnEncoder>('bilstm-charcnn-encoder.v1', { ...outer.config(), assetsDir: assets });
    for (const [name, v] of rebuilt.parameters()) v.assign(outer.parameters().get(name)!);
    expect(tf.tidy(() => rebuilt.encode(batch, false).hidden.arraySync())).toEqual(tf.tidy(() => outer.encode(batch, false).hidden.arraySync()));
    outer.dispose();
    rebuilt.dispose();
  });

  it('refuses bad input with errors naming the field', () => {
    const enc = small();
    expect(() => enc.encode({ tokens: [] }, false)).toThrow('batch.tokens must be a non-empty array');
    expect(() => enc.encode({ tokens: [['a'], []] }, false)).toThrow('batch.tokens[1] is empty');
    expect(() => new BiLstmCharCnnEncoder({ lstmDropout: 1 }, { vocabulary: buildVocabulary(TRAIN) })).toThrow('config.lstmDropout');
    expect(() => new BiLstmCharCnnEncoder({ wordEmbedding: { mode: 'fixed' } }, { vocabulary: buildVocabulary(TRAIN) })).toThrow('no word vectors were given');
    enc.dispose();
  });
});
