import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeNamedTensors, initBackend, loadSafetensors, saveSafetensors } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { loadModel, MODEL_WEIGHTS_FILE, saveModel } from './model-folder.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-joint-io-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

for (const presetName of ['spert', 'dixit', 'ji2020', 'twophase'] as const) {
  it(`${presetName}: save -> load gives the same config, weights and predictions`, async () => {
    const docs = tinyCorpus(8);
    const model = await buildModel(tinySpec(presetName, { maxSpanWidth: 4 }), TINY_SCHEMA, docs);
    // Move the weights away from their initial values, so that loading cannot pass by rebuilding the same init.
    let seed = 100;
    for (const v of model.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed++)));
    // A fresh two-phase classifier's phase one rejects most spans: favour "entity" so that the predictions compared are not empty.
    model.entityClassifier.parameters().get('binary.bias')?.assign(tf.tensor1d([-1, 1]));
    const dir = join(root, presetName);
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    expect(loaded.config()).toEqual(model.config());
    expect(loaded.schema).toEqual(TINY_SCHEMA);
    const original = model.parameters();
    for (const [name, v] of loaded.parameters()) expect(Array.from(v.dataSync())).toEqual(Array.from(original.get(name)!.dataSync()));
    const before = model.predict(docs);
    expect(before.some((d) => d.entities.length > 0)).toBe(true);
    expect(loaded.predict(docs)).toEqual(before);
    model.dispose();
    loaded.dispose();
  });
}

it('a BERT encoder (tiny fixture): its tokenizer and config go to encoder/, and the reloaded model predicts the same', async () => {
  const folder = fileURLToPath(new URL('../../../encoders/fixtures/tiny-bert', import.meta.url));
  const docs = tinyCorpus(4);
  const model = await buildModel(tinySpec('spert', { encoder: `bert:${folder}`, maxSpanWidth: 3 }), TINY_SCHEMA, docs);
  expect(model.encoder.name).toBe('bert-encoder.v1');
  const dir = join(root, 'bert');
  await saveModel(model, dir);
  expect(existsSync(join(dir, 'encoder', 'tokenizer.json'))).toBe(true);
  expect(existsSync(join(dir, 'encoder', 'model.safetensors'))).toBe(false); // the weights live in weights.safetensors
  const loaded = await loadModel(dir);
  expect(loaded.predict(docs)).toEqual(model.predict(docs));
  model.dispose();
  loaded.dispose();
});

describe('loadModel', () => {
  it('names missing and unexpected tensors, and files that are not there', async () => {
    const docs = tinyCorpus(4);
    const model = await buildModel(tinySpec('spert'), TINY_SCHEMA, docs);
    const dir = join(root, 'broken');
    await saveModel(model, dir);
    model.dispose();
    const weights = join(dir, MODEL_WEIGHTS_FILE);
    const { tensors } = await loadSafetensors(weights);
    const dropped = 'relationHead.linear.bias';
    expect(tensors.has(dropped)).toBe(true);
    tensors.get(dropped)!.dispose();
    tensors.delete(dropped);
    tensors.set('relationHead.extra', tf.zeros([2]));
    await saveSafetensors(weights, tensors);
    disposeNamedTensors(tensors);
    const numTensors = tf.memory().numTensors;
    await expect(loadModel(dir)).rejects.toThrow(/weights\.safetensors: missing 1: "relationHead\.linear\.bias"; unexpected 1: "relationHead\.extra"/);
    expect(tf.memory().numTensors).toBe(numTensors); // the half-built model was freed

    const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, version: 9 }));
    await expect(loadModel(dir)).rejects.toThrow(/config\.json: "version" 9 is not supported/);
    await expect(loadModel(join(root, 'nowhere'))).rejects.toThrow(/nowhere\/config\.json: not found/);
  });
});
