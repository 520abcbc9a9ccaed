#!/usr/bin/env node
/**
 * Where a model's prediction (dev evaluation) spends its time on the fast path:
 * the kernel profile of `model.predict` (tf.profile: time by kernel, kernel
 * calls per sentence, time outside kernels), then the wall time of each stage
 * of decoding timed on its own without the profiler: the encoder, the span
 * head over every span, the entity classifier, and the rest (selection, the
 * relation head over the pairs, JS decoding) as the remainder of `predict`.
 * One untrained model per variant (as bench-speed.mjs), wasm, one thread.
 * `--entity-overlap allow|flat|auto` sets the spec's decoding of overlapping
 * spans (an untrained model accepts many: `auto` = flat on CoNLL04 pairs far
 * fewer); `--build-context-mask` makes the relation head read the pair context
 * mask whatever it declares (the cost before `readsContext`).
 *
 * With `--compare R`: instead, R rounds of evaluation only (the weights fixed,
 * so no session is rebuilt inside the timing), chunk by chunk of 8 sentences,
 * alternating the fast path (fused kernels + onnxruntime) and the op-by-op
 * path (`setFusedKernels(false)`), which goes first; prints both rates, the
 * ratio and whether the predictions are the same.
 *
 *   node packages/joint/bench/bench-profile-eval.mjs [--variant dixit+glove] [--eval N] [--top N] [--fused false] [--onnx false] [--onnx-threads N] [--compare R] [--entity-overlap allow] [--build-context-mask]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT, benchVariantSpec, dataFiles, rerunWithWinkNodePath } from './bench-helpers.mjs';

const SELF = fileURLToPath(import.meta.url);
const { values } = parseArgs({ options: { variant: { type: 'string' }, eval: { type: 'string' }, top: { type: 'string' }, data: { type: 'string' }, fused: { type: 'string' }, onnx: { type: 'string' }, 'onnx-threads': { type: 'string' }, compare: { type: 'string' }, 'entity-overlap': { type: 'string' }, 'build-context-mask': { type: 'boolean' } } });
const variant = values.variant ?? 'dixit+glove';
const rerun = rerunWithWinkNodePath(SELF, [variant]);
if (rerun !== undefined && rerun !== null && rerun !== false) process.exit(await rerun);

const tf = await import('@tensorflow/tfjs-core');
const core = await import('@spanrel/tensor-core');
const joint = await import('@spanrel/joint');
const datasets = await import('@spanrel/datasets');
const { enumerateSpans } = datasets;
const { spansToTensor } = await import('@spanrel/span-heads');
await core.initBackend({});
core.setFusedKernels(values.fused !== 'false');
const encoders = await import('@spanrel/encoders');
encoders.setOnnxInference(values.onnx !== 'false', values['onnx-threads'] ? { threads: Number(values['onnx-threads']) } : {});
const log = (l) => process.stderr.write(`${l}\n`);
log(`backend ${core.describeBackend()}, fused ${values.fused !== 'false'}, onnx ${values.onnx !== 'false'} (${encoders.onnxInferenceThreads()} threads)`);
const files = dataFiles(resolve(values.data ?? join(REPO_ROOT, '..', 'shared', 'data', 'conll04')));
const overrides = values['entity-overlap'] ? { entityOverlap: values['entity-overlap'] } : {};
const spec = benchVariantSpec(joint.variantSpec, variant, { overrides, source: 'bench-profile-eval' });
const schema = datasets.readTypeSchema(files.types);
const trainDocs = datasets.readDocuments(files.train, { schema });
const devDocs = datasets.readDocuments(files.dev, { schema });
const model = await joint.buildModel(spec, schema, trainDocs, devDocs);
// --build-context-mask: the cost before relation heads declared `readsContext` (every pair batch built its [B, P, T] mask).
if (values['build-context-mask']) Object.defineProperty(model.relationHead, 'readsContext', { value: true });
const evalDocs = devDocs.slice(0, Number(values.eval ?? 48));
model.predict(evalDocs.slice(0, 8)); // warm-up
if (values.compare !== undefined) {
  const rounds = Number(values.compare);
  core.setFusedKernels(false);
  model.predict(evalDocs.slice(0, 8)); // warm-up of the op-by-op path
  const timed = { fast: { s: 0, n: 0, docs: [] }, opByOp: { s: 0, n: 0, docs: [] } };
  for (let r = 0; r < rounds; r++) {
    for (let c = 0; c < evalDocs.length; c += 8) {
      const chunk = evalDocs.slice(c, c + 8);
      for (const name of (r + c / 8) % 2 === 0 ? ['fast', 'opByOp'] : ['opByOp', 'fast']) {
        core.setFusedKernels(name === 'fast');
        const t = performance.now();
        const docs = model.predict(chunk);
        timed[name].s += (performance.now() - t) / 1000;
        timed[name].n += chunk.length;
        if (r === 0) timed[name].docs.push(...docs);
      }
    }
  }
  core.setFusedKernels(true);
  const fast = timed.fast.n / timed.fast.s;
  const slow = timed.opByOp.n / timed.opByOp.s;
  const same = JSON.stringify(timed.fast.docs) === JSON.stringify(timed.opByOp.docs);
  console.log(`eval only, ${rounds} rounds x ${evalDocs.length} sentences in chunks of 8, alternating: fast ${fast.toFixed(2)} sent/s, op-by-op ${slow.toFixed(2)} sent/s, ${(fast / slow).toFixed(2)}x; same predictions: ${same}`);
  console.log(JSON.stringify({ benchmark: 'eval-compare', variant, rounds, sentences: evalDocs.length, fastSentPerSec: fast, opByOpSentPerSec: slow, speedup: fast / slow, samePredictions: same, onnxThreads: encoders.onnxInferenceThreads(), loadAverage: (await import('node:os')).loadavg() }));
  model.dispose();
  process.exit(0);
}
const stats = joint.emptyDecodeStats();
const t0 = performance.now();
model.predict(evalDocs, { stats });
const predictMs = performance.now() - t0;
log(`predict ${evalDocs.length} sentences: ${predictMs.toFixed(0)} ms (${((1000 * evalDocs.length) / predictMs).toFixed(1)} sent/s); decode stats ${JSON.stringify(stats)}`);

// Time spent in onnxruntime-node calls (inside "outside kernels"): the BiLSTM and the MLPs.
const onnxMs = { bilstm: 0, mlpRows: 0, mlpPairs: 0 };
const timedCall = (key, fn) => function (...args) {
  const t = performance.now();
  try {
    return fn.apply(this, args);
  } finally {
    onnxMs[key] += performance.now() - t;
  }
};
const runtime = encoders.onnxFeedForwardRuntime;
core.setFeedForwardRuntime({ run: timedCall('mlpRows', runtime.run), runPairs: timedCall('mlpPairs', runtime.runPairs) });
encoders.OnnxBiLstmRunner.prototype.run = timedCall('bilstm', encoders.OnnxBiLstmRunner.prototype.run);
const profile = await joint.profileKernels('eval', () => (model.predict(evalDocs), evalDocs.length));
console.log(`onnxruntime calls (with their input copies) during the profile: BiLSTM ${onnxMs.bilstm.toFixed(0)} ms, MLP rows ${onnxMs.mlpRows.toFixed(0)} ms, MLP pairs ${onnxMs.mlpPairs.toFixed(0)} ms`);
console.log(joint.formatPhaseProfile(profile, Number(values.top ?? 25)));

// Stages alone, batches as decodeDocuments makes them (sorted by length, decodeBatchSize).
const order = evalDocs.map((_, i) => i).sort((a, b) => evalDocs[a].tokens.length - evalDocs[b].tokens.length || a - b);
const size = model.decoding.decodeBatchSize;
const batches = [];
for (let s = 0; s < order.length; s += size) batches.push(order.slice(s, s + size).map((i) => evalDocs[i].tokens));
const time = { encoder: 0, spanHead: 0, entity: 0 };
for (let rep = 0; rep < 2; rep++) {
  for (const tokens of batches) {
    tf.tidy(() => {
      let a = performance.now();
      const enc = model.encoder.encode({ tokens: tokens.map((t) => [...t]) }, false);
      enc.hidden.dataSync();
      let b = performance.now();
      if (rep === 1) time.encoder += b - a;
      const { spans, spanMask } = spansToTensor(tokens.map((w) => enumerateSpans(w.length, model.decoding.maxSpanWidth)));
      a = performance.now();
      const reps = model.spanHead.embed(enc, spans, spanMask, false);
      reps.dataSync();
      b = performance.now();
      if (rep === 1) time.spanHead += b - a;
      a = performance.now();
      model.entityClassifier.classify(reps, false).dataSync();
      b = performance.now();
      if (rep === 1) time.entity += b - a;
    });
  }
}
const t1 = performance.now();
model.predict(evalDocs);
const total = performance.now() - t1;
const rest = total - time.encoder - time.spanHead - time.entity;
const pct = (x) => `${x.toFixed(0)} ms (${((100 * x) / total).toFixed(0)}%)`;
console.log(`stages of predict (${evalDocs.length} sentences, ${total.toFixed(0)} ms): encoder ${pct(time.encoder)}, span head ${pct(time.spanHead)}, entity MLP ${pct(time.entity)}, rest (selection, relation head, JS) ${pct(rest)}`);
model.dispose();
