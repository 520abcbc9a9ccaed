#!/usr/bin/env node
/**
 * The memory of one training step and one dev decode batch on the LONGEST
 * CoNLL04 sentences (the ones that set the wasm heap's high-water mark, which
 * never comes down): builds a preset, runs `--steps` training steps on the
 * batch of the longest training sentences and decodes the longest dev
 * sentences, each under `tf.profile`, and prints tfjs' peak bytes, the wasm
 * heap and RSS after each, and the kernels with the largest outputs.
 *
 *   node packages/joint/bench/bench-step-memory.mjs --preset ji2020+glove
 *   node packages/joint/bench/bench-step-memory.mjs --preset spert --encoder bert:../shared/models/small-bert-conll04
 *   flags: --preset NAME[+glove]  --encoder SPEC  --steps N (2)  --decode N (dev sentences decoded at once; 0 = skip; default 32)
 *          --top N (largest kernels listed; 8)  --rig-accept (decode with the entity classifier accepting every span)
 *          --stock (tfjs' own backward pass, tf.variableGrads, instead of trainStep's leanVariableGrads)
 *          --overrides JSON  --data DIR  --backend NAME
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT, benchVariantSpec, dataFiles, rerunWithWinkNodePath, wasmHeapBytes } from './bench-helpers.mjs';

const SELF = fileURLToPath(import.meta.url);
const MB = 2 ** 20;
const log = (line) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'spert' },
    encoder: { type: 'string' },
    steps: { type: 'string', default: '2' },
    decode: { type: 'string', default: '32' },
    top: { type: 'string', default: '8' },
    'rig-accept': { type: 'boolean' },
    stock: { type: 'boolean' },
    overrides: { type: 'string' },
    data: { type: 'string', default: resolve(REPO_ROOT, '../shared/data/conll04') },
    backend: { type: 'string' },
  },
});
const rerun = rerunWithWinkNodePath(SELF, [values.preset]);
if (rerun) process.exit(await rerun);

const tf = await import('@tensorflow/tfjs-core');
const core = await import('@spanrel/tensor-core');
const joint = await import('@spanrel/joint');
const datasets = await import('@spanrel/datasets');
await core.initBackend(values.backend ? { backend: values.backend } : {});

const state = () => `wasm heap ${(wasmHeapBytes(tf) / MB).toFixed(0)} MB, RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, ${tf.memory().numTensors} tensors`;

/** The profile's summary: peak tfjs bytes and the kernels with the largest outputs. */
function report(label, info, top) {
  log(`${label}: tfjs peak ${(info.peakBytes / MB).toFixed(1)} MB (new ${(info.newBytes / MB).toFixed(1)} MB); ${state()}`);
  const kernels = info.kernels
    .map((k) => ({ name: k.name, bytes: k.bytesAdded, total: k.totalBytesSnapshot, in: JSON.stringify(k.inputShapes), out: JSON.stringify(k.outputShapes) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
  for (const k of kernels) log(`  ${k.name.padEnd(18)} +${(k.bytes / MB).toFixed(1).padStart(7)} MB (live ${(k.total / MB).toFixed(0)} MB) ${k.in} -> ${k.out}`);
}

/** Live tensors reachable from the active gradient tape, summed by (kernel, shape), largest first. */
function tapeHoldings(top) {
  const seen = new Set();
  const rows = new Map();
  let total = 0;
  for (const node of tf.engine().state.activeTape ?? []) {
    for (const x of [...Object.values(node.inputs ?? {}), ...(node.outputs ?? []), ...(node.saved ?? [])]) {
      if (!x || x.isDisposed || seen.has(x.dataId)) continue;
      seen.add(x.dataId);
      const bytes = x.size * (x.dtype === 'bool' ? 1 : 4);
      total += bytes;
      const key = `${node.kernelName} [${x.shape}]`;
      const r = rows.get(key) ?? { key, bytes: 0, n: 0 };
      r.bytes += bytes;
      r.n += 1;
      rows.set(key, r);
    }
  }
  return { total, count: seen.size, rows: [...rows.values()].sort((a, b) => b.bytes - a.bytes).slice(0, top) };
}

const overrides = values.overrides ? JSON.parse(values.overrides) : {};
const spec = benchVariantSpec(joint.variantSpec, values.preset, { overrides, source: `bench-step-memory ${values.preset}`, encoder: values.encoder });
const files = dataFiles(values.data);
const schema = datasets.readTypeSchema(files.types);
const trainDocs = datasets.readDocuments(files.train, { schema });
const devDocs = datasets.readDocuments(files.dev, { schema });
const t = spec.training;
const longest = (docs, n) => [...docs].sort((a, b) => b.tokens.length - a.tokens.length).slice(0, n);

log(`${values.preset}: batch ${t.batchSize}; ${core.describeBackend()}`);
const model = await joint.buildModel(spec, schema, trainDocs, devDocs);
log(`model built: ${state()}`);
const params = model.parameters();
const optimizer = joint.makeOptimizer(params, t.optimizer, 1000);
const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
const batchDocs = longest(trainDocs, t.batchSize);
log(`training batch: ${batchDocs.map((d) => d.tokens.length).join(', ')} words`);
const top = Number(values.top);
{
  // What the gradient tape holds once the forward pass is done: the activations kept for the backward pass.
  const batch = joint.sampleBatch(spec, schema, batchDocs, () => datasets.createRng(1));
  const { value, grads } = (values.stock ? tf.variableGrads : core.leanVariableGrads)(() => {
    const loss = joint.trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss;
    const held = tapeHoldings(top * 2);
    log(`forward done: the tape holds ${(held.total / MB).toFixed(0)} MB in ${held.count} tensors (${state()}); largest, by the kernel that made them:`);
    for (const r of held.rows) log(`  ${(r.bytes / MB).toFixed(1).padStart(8)} MB  ${String(r.n).padStart(4)} x ${r.key}`);
    return loss;
  }, [...params.values()]);
  value.dispose();
  for (const g of Object.values(grads)) g.dispose();
}
for (let s = 0; s < Number(values.steps); s++) {
  const batch = joint.sampleBatch(spec, schema, batchDocs, () => datasets.createRng(s + 1));
  const info = await tf.profile(() => {
    const loss = () => joint.trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss;
    if (values.stock) {
      // tfjs' own backward pass (what trainStep ran before leanVariableGrads), then the same update.
      const { value, grads } = tf.variableGrads(loss, [...params.values()].filter((v) => v.trainable));
      const named = new Map([...params].filter(([, v]) => grads[v.name]).map(([n, v]) => [n, grads[v.name]]));
      optimizer.step(named, t.clipNorm === null ? {} : { clip: t.clipNorm });
      value.dispose();
      for (const g of named.values()) g.dispose();
    } else {
      core.trainStep(params, loss, optimizer, t.clipNorm === null ? {} : { clip: t.clipNorm });
    }
  });
  report(`step ${s + 1}`, info, top);
}
const decodeCount = Number(values.decode);
if (decodeCount > 0) {
  if (values['rig-accept']) {
    // The classifier's `none` logit far below the others: every span is an entity (the span cap keeps the most probable).
    for (const [name, v] of model.entityClassifier.parameters()) {
      if (!/bias/.test(name) || v.shape.length !== 1) continue;
      const rigged = tf.tidy(() => v.add(tf.oneHot([0], v.shape[0]).reshape([-1]).mul(-30)));
      v.assign(rigged);
      rigged.dispose();
    }
  }
  const docs = longest(devDocs, decodeCount);
  const stats = joint.emptyDecodeStats();
  const info = await tf.profile(() => {
    model.predict(docs, { stats });
  });
  report(`decode ${docs.length} longest dev sentences (${docs[0].tokens.length}..${docs.at(-1).tokens.length} words; kept spans ${stats.keptSpans}, pairs ${stats.pairs})`, info, top);
}
optimizer.dispose();
model.dispose();
log(`end: ${state()}`);
