import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@spanrel/tensor-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { loadModelFromFiles, loadModelFromUrl, type FetchFiles } from './model-files.js';
import { loadModel, saveModel } from './model-folder.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-joint-files-'));
const dir = join(root, 'model');
const docs = tinyCorpus(8);
let model: JointModel;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  model = await buildModel(tinySpec('spert', { maxSpanWidth: 4 }), TINY_SCHEMA, docs);
  // Weights away from their initial values, so that a rebuilt init cannot pass.
  let seed = 200;
  for (const v of model.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed++)));
  await saveModel(model, dir);
});
afterAll(() => {
  model.dispose();
  rmSync(root, { recursive: true, force: true });
});

/** A `fetch` over the files of `folder` served at `base`; records every URL asked for. */
function folderFetch(base: string, folder: string, asked: string[]): FetchFiles {
  return async (url) => {
    asked.push(url);
    let bytes: Uint8Array | undefined;
    try {
      bytes = url.startsWith(base) ? new Uint8Array(readFileSync(join(folder, url.slice(base.length)))) : undefined;
    } catch {
      bytes = undefined;
    }
    return {
      ok: bytes !== undefined,
      status: bytes ? 200 : 404,
      statusText: bytes ? 'OK' : 'Not Found',
      text: async () => new TextDecoder().decode(bytes),
      arrayBuffer: async () => bytes!.slice().buffer,
    };
  };
}

it('loadModelFromFiles rebuilds the saved model from its files’ contents: same parameters, same predictions', () => {
  const read = (name: string) => readFileSync(join(dir, name));
  const loaded = loadModelFromFiles({
    location: dir,
    config: read('config.json').toString('utf8'),
    schema: read('schema.json').toString('utf8'),
    weights: new Uint8Array(read('weights.safetensors')).buffer,
    encoder: { 'vocabulary.json': new Uint8Array(read('encoder/vocabulary.json')) },
  });
  expect(loaded.config()).toEqual(model.config());
  for (const [name, v] of loaded.parameters()) expect(Array.from(v.dataSync())).toEqual(Array.from(model.parameters().get(name)!.dataSync()));
  const expected = model.predict(docs);
  expect(expected.some((d) => d.entities.length > 0)).toBe(true);
  expect(loaded.predict(docs)).toEqual(expected);
  loaded.dispose();
});

it('loadModelFromUrl fetches exactly the folder’s files and predicts as the saved model does', async () => {
  const asked: string[] = [];
  const loaded = await loadModelFromUrl('http://models.test/tiny', folderFetch('http://models.test/tiny/', dir, asked));
  expect(asked.sort()).toEqual(['config.json', 'encoder/vocabulary.json', 'schema.json', 'weights.safetensors'].map((f) => `http://models.test/tiny/${f}`));
  expect(loaded.predict(docs)).toEqual(model.predict(docs));
  loaded.dispose();
});

it('loadModelFromUrl names the URL that failed, and the file of a bad config', async () => {
  const numTensors = tf.memory().numTensors;
  await expect(loadModelFromUrl('http://models.test/elsewhere/', folderFetch('http://models.test/tiny/', dir, []))).rejects.toThrow(
    /http:\/\/models\.test\/elsewhere\/(config\.json|schema\.json|weights\.safetensors): HTTP 404 Not Found/,
  );
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  const files = { config: JSON.stringify({ ...config, version: 99 }), schema: '{}', weights: new Uint8Array(0), encoder: {} };
  expect(() => loadModelFromFiles({ ...files, location: 'https://host/m' })).toThrow('https://host/m/config.json: "version" 99 is not supported');
  expect(tf.memory().numTensors).toBe(numTensors);
});

it('a BERT model: loadModelFromUrl fetches config.json and the tokenizer files of encoder/, and predicts as loadModel(dir) does', async () => {
  const fixture = fileURLToPath(new URL('../../../encoders/fixtures/tiny-bert', import.meta.url));
  const bertDocs = tinyCorpus(4);
  const bert = await buildModel(tinySpec('spert', { encoder: `bert:${fixture}`, maxSpanWidth: 3 }), TINY_SCHEMA, bertDocs);
  // Weights away from their initial values (the encoder's from the fixture), so that neither a rebuilt init nor the fixture's weights can pass.
  let seed = 300;
  for (const v of bert.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed++)));
  // An untrained classifier says "none" everywhere: lower its "none" bias so that entities are predicted and compared.
  const classes = bert.entityClassifier.outputDim;
  for (const v of bert.entityClassifier.parameters().values()) if (v.rank === 1 && v.shape[0] === classes) v.assign(tf.tensor1d([-3, ...new Array(classes - 1).fill(0)]));
  const bertDir = join(root, 'bert');
  await saveModel(bert, bertDir);
  bert.dispose();

  const fromDisk = await loadModel(bertDir);
  const asked: string[] = [];
  const fetched = await loadModelFromUrl('http://models.test/bert', folderFetch('http://models.test/bert/', bertDir, asked));
  const encoderFiles = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].map((f) => `encoder/${f}`);
  expect(asked.sort()).toEqual(['config.json', ...encoderFiles, 'schema.json', 'weights.safetensors'].sort().map((f) => `http://models.test/bert/${f}`));
  expect(fetched.encoder.name).toBe('bert-encoder.v1');
  expect(fetched.config()).toEqual(fromDisk.config());
  for (const [name, v] of fetched.parameters()) expect(Array.from(v.dataSync())).toEqual(Array.from(fromDisk.parameters().get(name)!.dataSync()));
  const expected = fromDisk.predict(bertDocs);
  expect(expected.some((d) => d.entities.length > 0)).toBe(true);
  expect(fetched.predict(bertDocs)).toEqual(expected);
  fromDisk.dispose();
  fetched.dispose();
});
