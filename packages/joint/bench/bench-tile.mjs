#!/usr/bin/env node
/**
 * Before / after of the block-copy `Tile` kernel (tensor-core
 * `backend/kernels/row-copy-kernels.ts`) on the `spert` + small BERT training
 * step: the same model trained with the stock wasm `Tile` and with the patched
 * one, interleaved in one process, then one profiled step each (kernel calls,
 * `Tile` time, total kernel time). Uses the built packages.
 *
 *   node packages/joint/bench/bench-tile.mjs [STEPS_PER_ROUND (default 10)]
 */
import * as tf from '@tensorflow/tfjs-core';
import * as core from '@spanrel/tensor-core';
import * as joint from '@spanrel/joint';
import * as datasets from '@spanrel/datasets';
await core.initBackend({ backend: 'wasm' });
const shared = new URL('../../../../shared/', import.meta.url).pathname;
const spec = joint.variantSpec('spert', { encoder: `bert:${shared}models/small-bert-conll04` });
const dir = `${shared}data/conll04/`;
const schema = datasets.readTypeSchema(dir + 'conll04_types.json');
const train = datasets.readDocuments(dir + 'conll04_train.json', { schema });
const dev = datasets.readDocuments(dir + 'conll04_dev.json', { schema });
const model = await joint.buildModel(spec, schema, train, dev);
const params = model.parameters(); const t = spec.training;
const opt = joint.makeOptimizer(params, t.optimizer, 1000);
let cursor = 0;
const step = () => { const docs = [train[cursor++ % train.length], train[cursor++ % train.length]]; const b = joint.sampleBatch(spec, schema, docs, () => datasets.createRng(cursor)); core.trainStep(params, () => joint.trainingLosses(model, b, undefined, t.lossReduction, t.loss).loss, opt, { clip: 1 }); };
const patched = tf.getKernel('Tile', 'wasm');
const stock = globalThis[Symbol.for('spanrel.tensor-core.stock-kernels')].get('wasm/Tile');
const use = (k) => { tf.unregisterKernel('Tile', 'wasm'); tf.registerKernel(k); };
step(); step();
const res = { stock: { tr: 0, ev: 0 }, patched: { tr: 0, ev: 0 } };
const N = Number(process.argv[2] ?? 10), E = dev.slice(0, 40);
for (let r = 0; r < 3; r++) for (const name of r % 2 ? ['patched', 'stock'] : ['stock', 'patched']) {
  use(name === 'stock' ? stock : patched);
  let t0 = performance.now(); for (let i = 0; i < N; i++) step(); res[name].tr += (performance.now() - t0) / 1000 / (2 * N);
  t0 = performance.now(); model.predict(E); res[name].ev += (performance.now() - t0) / 1000 / E.length;
}
for (const [k, v] of Object.entries(res)) console.log(k, 'train sent/s', (3 / v.tr).toFixed(2), 'eval sent/s', (3 / v.ev).toFixed(1));
for (const name of ['stock', 'patched']) {
  use(name === 'stock' ? stock : patched);
  const prof = await tf.profile(() => { step(); });
  const tiles = prof.kernels.filter((k) => k.name === 'Tile');
  console.log(name, 'one step (2 sentences): kernels', prof.kernels.length, 'Tile calls', tiles.length, 'Tile ms', tiles.reduce((s, k) => s + k.kernelTimeMs, 0).toFixed(1), 'all kernels ms', prof.kernels.reduce((s, k) => s + k.kernelTimeMs, 0).toFixed(1));
}
