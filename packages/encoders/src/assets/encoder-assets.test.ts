import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BertEncoder } from '../bert/bert-encoder.js';
import '../bert/register.js';
import { FIXTURES } from '../bert/test-fixtures.js';
import { BiLstmCharCnnEncoder, type BiLstmCharCnnEncoderConfig } from '../bilstm/bilstm-char-cnn-encoder.js';
import '../bilstm/register.js';
import { buildVocabulary } from '../vocab/build-vocabulary.js';
import { encoderAssetFileNames } from './asset-file-names.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-encoder-assets-'));
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TRAIN = [
  ['John', 'Smith', 'works', 'for', 'IBM', 'in', 'Paris', '.'],
  ['Mary', 'lives', 'in', 'Paris', '.'],
];
const SMALL: BiLstmCharCnnEncoderConfig = { charDim: 3, charFilterWidths: [2], charFiltersPerWidth: 3, lstmHiddenDim: 4, lstmLayers: 1, seed: 3 };

/** Every file under `folder`, as '/'-separated paths relative to it. */
function filesUnder(folder: string): string[] {
  return (readdirSync(folder, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(folder.length + 1))
    .sort();
}

describe('encoder assets given as files (no file system)', () => {
  it('a BiLSTM with fixed vectors and a contextual encoder rebuilds from the files encoderAssetFileNames lists, the folder gone', async () => {
    const glove = join(dir, 'glove.txt');
    writeFileSync(glove, ['john 1 0 0', 'ibm 0 1 0', 'paris 0 0 1'].join('\n'));
    const inner = new BiLstmCharCnnEncoder({ ...SMALL, wordEmbedding: { mode: 'trained', dim: 3 }, seed: 5 }, { vocabulary: buildVocabulary(TRAIN, { minCount: 1 }) });
    const outer = await BiLstmCharCnnEncoder.fromData(TRAIN, { ...SMALL, wordEmbedding: { mode: 'fixed', source: glove } }, { contextual: inner });
    const assets = join(dir, 'saved');
    await outer.saveAssets(assets);

    const names = encoderAssetFileNames({ name: outer.name, config: outer.config() });
    expect(names.sort()).toEqual(filesUnder(assets)); // exactly what saveAssets wrote
    expect(names).toEqual(expect.arrayContaining(['vocabulary.json', 'word-vectors.safetensors', 'contextual/vocabulary.json']));
    const assetFiles = new Map(names.map((name) => [name, new Uint8Array(readFileSync(join(assets, name)))]));
    rmSync(assets, { recursive: true });

    const rebuilt = registry.build<BiLstmCharCnnEncoder>('bilstm-charcnn-encoder.v1', { ...outer.config(), assetsDir: 'https://example.test/model/encoder', assetFiles });
    for (const [name, v] of rebuilt.parameters()) v.assign(outer.parameters().get(name)!);
    const batch = { tokens: [['JOHN', 'works', 'in', 'Paris'], ['Mary']] };
    expect(tf.tidy(() => rebuilt.encode(batch, false).hidden.arraySync())).toEqual(tf.tidy(() => outer.encode(batch, false).hidden.arraySync()));
    expect(tf.tidy(() => rebuilt.encode(batch, false).wordVectors!.arraySync())).toEqual(tf.tidy(() => outer.encode(batch, false).wordVectors!.arraySync()));

    // A file left out is named by its place under assetsDir.
    const partial = new Map([...assetFiles].filter(([name]) => name !== 'word-vectors.safetensors'));
    expect(() => registry.build('bilstm-charcnn-encoder.v1', { ...outer.config(), assetsDir: 'https://example.test/model/encoder', assetFiles: partial })).toThrow(
      'https://example.test/model/encoder/word-vectors.safetensors: cannot read the fixed word vectors',
    );
    outer.dispose();
    rebuilt.dispose();
  });

  it('a BERT encoder rebuilds from config.json and its tokenizer files, the folder gone, and encodes as the original', async () => {
    // A model folder with an optional tokenizer file: saved along, but not needed to rebuild (not in the fetched list).
    const folder = join(dir, 'tiny-bert');
    cpSync(FIXTURES.bert, folder, { recursive: true });
    writeFileSync(join(folder, 'vocab.txt'), '[PAD]\n');
    const original = new BertEncoder({ model: folder, hiddenDropout: 0, attentionDropout: 0 });
    const assets = join(dir, 'bert');
    await original.saveAssets(assets);
    expect(filesUnder(assets)).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'vocab.txt']);
    const names = encoderAssetFileNames({ name: original.name, config: original.config() });
    expect(names).toEqual(['config.json', 'tokenizer.json', 'tokenizer_config.json']);
    const assetFiles = new Map(names.map((name) => [name, new Uint8Array(readFileSync(join(assets, name)))]));
    rmSync(assets, { recursive: true });

    const assetsDir = 'https://example.test/model/encoder';
    const rebuilt = registry.build<BertEncoder>('bert-encoder.v1', { ...original.config(), assetsDir, assetFiles });
    expect(rebuilt.config()).toEqual(original.config());
    for (const [name, v] of rebuilt.parameters()) v.assign(original.parameters().get(name)!);
    // Accents, punctuation, CJK, an unknown character and long words split into several pieces.
    const batch = { tokens: [['Café', 'naïve', '—', 'Zürich', '!', '東京'], ['unbelievably', 'tokenization', '🙂', 'x']] };
    expect(rebuilt.tokenize(batch)).toEqual(original.tokenize(batch));
    expect(tf.tidy(() => rebuilt.encode(batch, false).hidden.arraySync())).toEqual(tf.tidy(() => original.encode(batch, false).hidden.arraySync()));

    const partial = new Map([...assetFiles].filter(([name]) => name !== 'tokenizer.json'));
    expect(() => registry.build('bert-encoder.v1', { ...original.config(), assetsDir, assetFiles: partial })).toThrow(`${assetsDir}/tokenizer.json not found`);
    original.dispose();
    rebuilt.dispose();
  });

  it('a trained word table needs only the vocabulary; an encoder that cannot run from files says to load in Node', () => {
    expect(encoderAssetFileNames({ name: 'bilstm-charcnn-encoder.v1', config: { wordEmbedding: { mode: 'trained', dim: 4 }, contextual: null } })).toEqual(['vocabulary.json']);
    expect(() => encoderAssetFileNames({ name: 'frozen-transformer-encoder.v1', config: {} })).toThrow(
      /"frozen-transformer-encoder\.v1" cannot be loaded from fetched files.*loadModel\(dir\) in Node/,
    );
  });
});
