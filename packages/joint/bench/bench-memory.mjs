#!/usr/bin/env node
/**
 * Where the memory of a training run goes: trains one preset for a few short
 * epochs on a CoNLL04 subset with `train()` (dev evaluation after each epoch,
 * best model and checkpoint written, as a real run does) and prints, before
 * the first epoch and after each phase of each epoch (training steps, dev
 * evaluation + saving), the process RSS, the wasm heap of this thread
 * (`WebAssembly.Memory`, which never shrinks), tfjs' live tensors and bytes,
 * V8's heap used, external and array-buffer memory, and the peak RSS so far
 * (`process.resourceUsage().maxRSS`); then one JSON line.
 *
 * Uses the BUILT packages (`pnpm build` first).
 *
 *   node packages/joint/bench/bench-memory.mjs --preset spert --encoder bert:../shared/models/small-bert-conll04
 *   node packages/joint/bench/bench-memory.mjs --preset ji2020+glove --train 200 --dev 100 --epochs 4
 *   flags: --preset NAME[+glove]  --encoder SPEC  --train N (200)  --dev N (100)  --epochs N (4)
 *          --workers N|auto (dev prediction on worker threads as `spanrel train`; default 0)
 *          --max-words N (only sentences up to N words; default all)  --data DIR  --backend NAME
 *          --overrides JSON (spec overrides)  --out DIR (default a temporary folder, removed)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
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
    train: { type: 'string', default: '200' },
    dev: { type: 'string', default: '100' },
    epochs: { type: 'string', default: '4' },
    workers: { type: 'string', default: '0' },
    'max-words': { type: 'string' },
    data: { type: 'string', default: resolve(REPO_ROOT, '../shared/data/conll04') },
    backend: { type: 'string' },
    overrides: { type: 'string' },
    out: { type: 'string' },
  },
});

const rerun = rerunWithWinkNodePath(SELF, [values.preset]);
if (rerun) process.exit(await rerun);

const tf = await import('@tensorflow/tfjs-core');
const core = await import('@spanrel/tensor-core');
const joint = await import('@spanrel/joint');
const parallel = await import('@spanrel/joint/parallel');
const datasets = await import('@spanrel/datasets');
await core.initBackend(values.backend ? { backend: values.backend } : {});


/** One memory sample, in MB (tensors: a count). */
function sample(label) {
  const m = process.memoryUsage();
  const t = tf.memory();
  return {
    label,
    rssMB: m.rss / MB,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    wasmHeapMB: wasmHeapBytes(tf) / MB,
    tensors: t.numTensors,
    tensorMB: t.numBytes / MB,
    v8HeapUsedMB: m.heapUsed / MB,
    externalMB: m.external / MB,
    arrayBuffersMB: m.arrayBuffers / MB,
  };
}

const COLUMNS = [
  ['label', 22],
  ['rssMB', 8],
  ['peakRssMB', 9],
  ['wasmHeapMB', 9],
  ['tensors', 8],
  ['tensorMB', 9],
  ['v8HeapUsedMB', 9],
  ['externalMB', 9],
  ['arrayBuffersMB', 9],
];
const HEAD = ['', 'RSS', 'peak RSS', 'wasm heap', 'tensors', 'tensor MB', 'V8 used', 'external', 'arraybuf'];
const row = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(COLUMNS[i][1]) : String(c).padStart(COLUMNS[i][1]))).join(' ');
const samples = [];
function record(label) {
  const s = sample(label);
  samples.push(s);
  log(row(COLUMNS.map(([k]) => (typeof s[k] === 'number' ? (k === 'tensors' ? s[k] : s[k].toFixed(1)) : s[k]))));
  return s;
}

const overrides = values.overrides ? JSON.parse(values.overrides) : {};
overrides.training = { ...(overrides.training ?? {}), epochs: Number(values.epochs), timeBudgetMinutes: null };
const spec = benchVariantSpec(joint.variantSpec, values.preset, { overrides, source: `bench-memory ${values.preset}`, encoder: values.encoder });

const files = dataFiles(values.data);
const schema = datasets.readTypeSchema(files.types);
const maxWords = values['max-words'] ? Number(values['max-words']) : Infinity;
const pick = (docs, n) => docs.filter((d) => d.tokens.length <= maxWords).slice(0, n);
const trainDocs = pick(datasets.readDocuments(files.train, { schema }), Number(values.train));
const devDocs = pick(datasets.readDocuments(files.dev, { schema }), Number(values.dev));
const outDir = values.out ?? mkdtempSync(join(os.tmpdir(), 'bench-memory-'));
const workers = values.workers === 'auto' ? undefined : Number(values.workers);
const dev = workers === 0 ? null : parallel.shardedDevPredictor(join(outDir, 'dev-snapshot'), workers === undefined ? {} : { workers });

log(`${values.preset}${values.encoder ? ` (${values.encoder})` : ''}: ${trainDocs.length} train / ${devDocs.length} dev sentences, ${spec.training.epochs} epochs, batch ${spec.training.batchSize}; ${core.describeBackend()}; dev workers ${values.workers}`);
log(row(HEAD));
const start = record('start');
let stepPeakRss = 0;
const started = Date.now();
const result = await joint.train({
  spec,
  schema,
  train: trainDocs,
  dev: devDocs,
  outDir,
  predictDev: dev?.predictDev,
  onEvent: (event) => {
    if (event.type === 'step') stepPeakRss = Math.max(stepPeakRss, process.memoryUsage().rss);
    else if (event.type === 'epoch-start' && event.epoch === 1) record('model built');
    else if (event.type === 'evaluate') record(`epoch ${event.epoch} trained`);
    else if (event.type === 'epoch-end') {
      const r = event.record;
      const s = record(`epoch ${r.epoch} evaluated`);
      s.trainSeconds = r.trainSeconds;
      s.evalSeconds = r.evalSeconds;
      s.devNer = r.dev?.ner.f1 ?? null;
      s.devRePlus = r.dev?.rePlus.f1 ?? null;
      s.loss = r.loss;
    }
  },
});
result.model.dispose();
await dev?.close();
const end = record('end');
if (!values.out) rmSync(outDir, { recursive: true, force: true });
const epochs = samples.filter((s) => s.label.endsWith('evaluated'));
log(`peak RSS ${end.peakRssMB.toFixed(0)} MB (max RSS seen at a training step ${(stepPeakRss / MB).toFixed(0)} MB); ${((Date.now() - started) / 1000).toFixed(0)} s`);
log(`losses ${epochs.map((s) => s.loss.toFixed(5)).join(' ')}; dev NER ${epochs.map((s) => s.devNer?.toFixed(2)).join(' ')}; RE+ ${epochs.map((s) => s.devRePlus?.toFixed(2)).join(' ')}`);
console.log(
  JSON.stringify({
    benchmark: 'memory',
    preset: values.preset,
    encoder: values.encoder ?? spec.encoder.name,
    sentences: { train: trainDocs.length, dev: devDocs.length },
    epochs: epochs.length,
    workers: values.workers,
    backend: core.describeBackend(),
    peakRssMB: end.peakRssMB,
    startRssMB: start.rssMB,
    stepPeakRssMB: stepPeakRss / MB,
    samples,
  }),
);
