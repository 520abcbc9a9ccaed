import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { initBackend, Rng } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { exportRngStates, findRngs, importRngStates } from './rng-state.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

it('finds generators at any depth, in maps and arrays, once each', () => {
  const shared = new Rng(1);
  const root = { a: { dropoutRng: shared, list: [{ r: new Rng(2) }], map: new Map([['k', { r: new Rng(3) }]]) }, again: shared, t: tf.zeros([1]) };
  expect([...findRngs({ root }).keys()]).toEqual(['root.a.dropoutRng', 'root.a.list[0].r', 'root.a.map[k].r']);
  root.t.dispose();
});

it('restoring the saved states of a model replays the same dropout masks', async () => {
  const docs = tinyCorpus(4);
  const model = await buildModel(tinySpec('dixit'), TINY_SCHEMA, docs);
  const roots = { encoder: model.encoder, spanHead: model.spanHead };
  const names = Object.keys(exportRngStates(roots));
  expect(names).toContain('encoder.dropoutRng'); // the encoder's embedding dropout
  expect(names.some((n) => n.startsWith('encoder.') && n.includes('lstm'))).toBe(true); // the LSTM's dropout
  expect(names.some((n) => n.startsWith('spanHead.'))).toBe(true);
  const hidden = () => tf.tidy(() => Array.from(model.encoder.encode({ tokens: [docs[0].tokens] }, true).hidden.dataSync()));
  const saved = exportRngStates(roots);
  const first = hidden();
  const second = hidden();
  expect(second).not.toEqual(first); // the generators moved on: new masks
  importRngStates(roots, saved);
  expect(hidden()).toEqual(first);
  expect(() => importRngStates(roots, { ...saved, 'encoder.other': 1 })).toThrow(/unexpected: encoder\.other/);
  model.dispose();
});
