#!/usr/bin/env node
/**
 * Whose rounding is it? Computes the training-loss gradient of ONE batch (the
 * first CoNLL04 training sentences, the same sampled batch, the same initial
 * weights) on several paths, each in its own process, and compares every pair:
 *
 *   opByOp       wasm backend, op-by-op compositions, matMuls on XNNPACK
 *                (the baseline of bench-speed and bench-paths-agree)
 *   fastXnnpack  wasm, fused kernels, matMuls on XNNPACK
 *   fastNative   wasm, fused kernels, large matMuls on onnxruntime-node's GEMM
 *                (the default fast path; skipped where onnxruntime-node does not load)
 *   cpuStock     tfjs' pure-JS cpu backend, op-by-op: stock tfjs kernels, another
 *                summation order, the independent reference (slow: ~40 s for dixit)
 *
 * For each pair: the largest difference relative to each tensor's scale
 * (`compareTensorSets`, tensors under the noise floor set aside), the median
 * over tensors of |a - b|_2 / |a|_2, and the number of gradient entries whose
 * sign differs. A sign flip is what AdamW turns into a full-size step the
 * other way (its first steps move a weight by ~lr whatever the size of its
 * gradient), so the flips say whether two paths can train the same weights
 * step for step. One JSON object as the last line.
 *
 * `--activation gelu` (or `tanh`) replaces the ReLU of Dixit's MLPs (entity
 * classifier, relation head, span attention): a smooth activation has a
 * continuous gradient, so it tells whether a gap comes from ReLU units whose
 * pre-activation lies within rounding of 0 (their gradient is on in one path,
 * off in the other). Per pair the tensors farthest apart and closest are
 * listed: where along the network the gap opens.
 *
 *   node packages/joint/bench/bench-gradient-agreement.mjs [--variants dixit+glove,spert] [--no-cpu] [--activation gelu] [--data DIR] [--bert DIR]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NOISE_FLOOR, REPO_ROOT, benchVariantSpec, compareTensorSets, dataFiles, missingInputs, rerunWithWinkNodePath, splitGlove, withMlpActivation } from './bench-helpers.mjs';

const SELF = fileURLToPath(import.meta.url);
const log = (line) => process.stderr.write(`${line}\n`);

/** Each path: the backend, whether the fused kernels run, whether large matMuls go to onnxruntime's GEMM. */
const PATHS = {
  opByOp: { backend: 'wasm', fused: false, native: false },
  fastXnnpack: { backend: 'wasm', fused: true, native: false },
  fastNative: { backend: 'wasm', fused: true, native: true },
  cpuStock: { backend: 'cpu', fused: false, native: false },
};

/**
 * A worker's gradients as a safetensors file (tensor-core's format): parameter
 * name -> gradient, the loss, seconds and backend (or why it was skipped) as
 * metadata. Read back as name -> Float32Array with the metadata.
 */
async function readGradientFile(core, file) {
  const { tensors, metadata } = await core.loadSafetensors(file);
  const values = new Map([...tensors].map(([name, t]) => [name, t.dataSync()]));
  for (const t of tensors.values()) t.dispose();
  return { metadata, tensors: values };
}

/** The worker: one variant's gradient on one path, written to `out`. */
async function gradientWorker(variant, pathName, out, opts) {
  const path = PATHS[pathName];
  const core = await import('@spanrel/tensor-core');
  const joint = await import('@spanrel/joint');
  const datasets = await import('@spanrel/datasets');
  const encoders = await import('@spanrel/encoders');
  const tf = await import('@tensorflow/tfjs-core');
  await core.initBackend({ backend: path.backend });
  core.setFusedKernels(path.fused);
  encoders.setOnnxMatMul(path.native);
  if (path.native && !(encoders.loadOnnxRuntime() !== null && encoders.onnxMatMulEnabled())) {
    await core.saveSafetensors(out, new Map(), { skipped: 'onnxruntime-node does not load' });
    return;
  }
  const { glove, modelVariant } = splitGlove(variant);
  const spec = benchVariantSpec(joint.variantSpec, variant, {
    source: `bench-gradient-agreement ${variant}`,
    encoder: modelVariant === 'spert' && !glove ? `bert:${opts.bert}` : undefined,
  });
  if (opts.activation) withMlpActivation(spec, opts.activation);
  const files = dataFiles(opts.data);
  const schema = datasets.readTypeSchema(files.types);
  const train = datasets.readDocuments(files.train, { schema }).slice(0, 50);
  const model = await joint.buildModel(spec, schema, train, train.slice(0, 5));
  const params = model.parameters();
  const t = spec.training;
  const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
  const batch = joint.sampleBatch(spec, schema, train.slice(0, t.batchSize), () => datasets.createRng(1));
  const started = performance.now();
  const { value, grads } = tf.variableGrads(() => joint.trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss, [...params.values()]);
  const seconds = (performance.now() - started) / 1000;
  const byVariable = new Map([...params].map(([name, v]) => [v.name, name]));
  const named = new Map(Object.entries(grads).map(([id, g]) => [byVariable.get(id) ?? id, g]));
  await core.saveSafetensors(out, named, { loss: String(value.dataSync()[0]), seconds: String(seconds), backend: core.describeBackend() });
}

/**
 * Sign flips (entries whose signs differ, noise-floor tensors aside), the
 * median relative L2 distance over tensors, and the tensors by that distance.
 */
function flipsAndMedianL2(a, b) {
  let flips = 0;
  const l2 = [];
  const byTensor = [];
  for (const [name, x] of a) {
    const y = b.get(name);
    let scale = 0;
    let diff2 = 0;
    let norm2 = 0;
    for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
    if (scale < NOISE_FLOOR) continue;
    for (let i = 0; i < x.length; i++) {
      if (Math.sign(x[i]) !== Math.sign(y[i])) flips++;
      diff2 += (x[i] - y[i]) ** 2;
      norm2 += x[i] ** 2;
    }
    if (norm2 > 0) {
      l2.push(Math.sqrt(diff2 / norm2));
      byTensor.push({ name, relL2: Math.sqrt(diff2 / norm2) });
    }
  }
  l2.sort((p, q) => p - q);
  byTensor.sort((p, q) => q.relL2 - p.relL2);
  return { flips, medianL2: l2.length > 0 ? l2[l2.length >> 1] : 0, byTensor };
}

function runWorker(variant, path, out, opts) {
  const args = [SELF, '--worker', path, '--variants', variant, '--out', out, '--data', opts.data, '--bert', opts.bert, ...(opts.activation ? ['--activation', opts.activation] : [])];
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => (code === 0 ? done() : fail(new Error(`${variant} on ${path}: worker exited with ${code}`))));
  });
}

async function compareVariant(core, variant, paths, opts) {
  const dir = mkdtempSync(join(os.tmpdir(), 'spanrel-gradient-agreement-'));
  try {
    const sets = {};
    for (const path of paths) {
      const file = join(dir, `${path}.safetensors`);
      await runWorker(variant, path, file, opts);
      const set = await readGradientFile(core, file);
      if (set.metadata.skipped) {
        log(`${variant} ${path}: skipped (${set.metadata.skipped})`);
        continue;
      }
      sets[path] = set;
      log(`${variant} ${path}: loss ${set.metadata.loss}, gradient in ${Number(set.metadata.seconds).toFixed(1)} s (${set.metadata.backend})`);
    }
    const names = Object.keys(sets);
    const pairs = [];
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const a = sets[names[i]].tensors;
        const b = sets[names[j]].tensors;
        const compared = compareTensorSets(a, b);
        const { flips, medianL2, byTensor } = flipsAndMedianL2(a, b);
        pairs.push({ a: names[i], b: names[j], maxRelDiff: compared.maxRelDiff, worst: compared.worst, medianL2, signFlips: flips, byTensor });
      }
    }
    return { variant, losses: Object.fromEntries(names.map((n) => [n, Number(sets[n].metadata.loss)])), pairs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      variants: { type: 'string' },
      data: { type: 'string' },
      bert: { type: 'string' },
      'no-cpu': { type: 'boolean' },
      activation: { type: 'string' },
      worker: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    console.log('usage: node packages/joint/bench/bench-gradient-agreement.mjs [--variants dixit+glove,spert] [--no-cpu] [--activation gelu|tanh] [--data DIR] [--bert DIR]');
    return 0;
  }
  const opts = {
    variants: (values.variants ?? 'dixit+glove').split(',').map((s) => s.trim()).filter(Boolean),
    data: resolve(values.data ?? join(REPO_ROOT, '..', 'shared', 'data', 'conll04')),
    bert: resolve(values.bert ?? join(REPO_ROOT, '..', 'shared', 'models', 'small-bert-conll04')),
    activation: values.activation,
  };
  if (values.worker !== undefined) {
    if (!(values.worker in PATHS)) throw new Error(`--worker: unknown path "${values.worker}" (${Object.keys(PATHS).join(', ')})`);
    await gradientWorker(opts.variants[0], values.worker, values.out, opts);
    return 0;
  }
  const missing = missingInputs(opts.variants, opts.data, opts.bert);
  if (missing.length > 0) {
    console.log(JSON.stringify({ benchmark: 'gradient-agreement', skipped: `missing ${missing.join(', ')}`, results: [] }));
    return 0;
  }
  const rerun = rerunWithWinkNodePath(SELF, opts.variants);
  if (rerun) return rerun;
  const paths = Object.keys(PATHS).filter((p) => !(values['no-cpu'] && p === 'cpuStock'));
  // The parent only reads the workers' files: tfjs' cpu backend holds them for the moment they are read.
  const core = await import('@spanrel/tensor-core');
  await core.initBackend({ backend: 'cpu' });
  const results = [];
  for (const variant of opts.variants) results.push(await compareVariant(core, variant, paths, opts));
  console.log('\nvariant  path a  path b  max rel diff (tensor)  median rel L2  sign flips');
  for (const r of results) {
    for (const p of r.pairs) console.log(`${r.variant}  ${p.a}  ${p.b}  ${p.maxRelDiff.toExponential(2)} (${p.worst ?? '-'})  ${p.medianL2.toExponential(2)}  ${p.signFlips}`);
  }
  const show = (list) => list.map((t) => `${t.name} ${t.relL2.toExponential(1)}`).join(', ');
  console.log('\nwhere the gap opens (rel L2 by tensor: farthest | closest)');
  for (const r of results) {
    for (const p of r.pairs) console.log(`${r.variant}  ${p.a} - ${p.b}: ${show(p.byTensor.slice(0, 3))} | ${show(p.byTensor.slice(-3))}`);
  }
  console.log(JSON.stringify({ benchmark: 'gradient-agreement', activation: opts.activation ?? null, machine: { cpus: os.cpus().length, loadAverage: os.loadavg() }, results }));
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
