// Benchmark of the tensor-core backends: matMul GFLOP/s and one training step
// of the Dixit et al. (2019) encoder's 3-layer BiLSTM (hidden 200, highway
// connections) on a batch of 8 sentences x 30 tokens, input dim 250
// (100 word + 150 char features), forward + backward + AdamW update.
//
// Order matters: stock wasm runs first (nothing patched yet in this process),
// then the training patches are applied and wasm runs again, then cpu, then
// tfjs-node if it is installed. The last line printed is one JSON object.
//
// Run: pnpm --filter @spanrel/tensor-core build && pnpm --filter @spanrel/tensor-core bench
// Env: BENCH_STEPS (timed wasm / tfjs-node steps, default 5), BENCH_CPU_STEPS (default 1).
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(distEntry)) {
  console.error(`bench: ${distEntry} is missing; run "pnpm --filter @spanrel/tensor-core build" first`);
  process.exit(1);
}
const tf = await import('@tensorflow/tfjs-core');
const core = await import('../dist/index.js');
const { initBackend, patchWasmForTraining, describeBackend, BiLstm, AdamW, Rng } = core;

const STEPS = Number(process.env.BENCH_STEPS ?? 5);
const CPU_STEPS = Number(process.env.BENCH_CPU_STEPS ?? 1);
const MODEL = { batch: 8, tokens: 30, inputDim: 250, hiddenDim: 200, numLayers: 3, highway: true, labels: 10 };

const log = (msg) => console.log(`[bench] ${msg}`);
const round = (v, digits = 2) => (v == null ? null : Number(v.toFixed(digits)));

/** GFLOP/s of an n x n x n matMul (optionally with transposeA), best of `reps` after a warm-up. */
function matMulGflops(n, reps, transposeA = false) {
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const once = () => {
    const t0 = performance.now();
    const c = tf.matMul(a, b, transposeA, false);
    c.dataSync();
    c.dispose();
    return performance.now() - t0;
  };
  once();
  let best = Infinity;
  for (let r = 0; r < reps; r++) best = Math.min(best, once());
  tf.dispose([a, b]);
  return (2 * n ** 3) / (best / 1000) / 1e9;
}

/**
 * Builds the model, a batch (lengths 12..30, so padding is exercised) and an
 * AdamW optimizer; returns a function running one full training step.
 */
function makeTrainingStep() {
  const { batch: B, tokens: T, inputDim: D, hiddenDim: H, labels: C } = MODEL;
  const rng = new Rng(42);
  const encoder = new BiLstm({ inputDim: D, hiddenDim: H, numLayers: MODEL.numLayers, highway: MODEL.highway, dropout: 0.4, seed: 1 });
  const output = tf.variable(tf.randomNormal([2 * H, C], 0, 0.05, 'float32', 3), true, 'bench.output.kernel'); // [2H, C]
  const params = new Map([...encoder.parameters(), ['output.kernel', output]]);
  const optimizer = new AdamW(params, { lr: 1e-3 });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 4); // [B, T, D]
  const lengths = Array.from({ length: B }, () => 12 + rng.int(T - 11));
  const mask = tf.tensor2d(lengths.flatMap((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))), [B, T]); // [B, T]
  const labels = tf.tensor2d(Array.from({ length: B * T }, () => rng.int(C)), [B, T], 'int32'); // [B, T]
  const nameOf = new Map([...params].map(([name, v]) => [v.name, name]));

  const loss = () => {
    const states = encoder.apply(x, mask, true); // [B, T, 2H]
    const logits = tf.matMul(tf.reshape(states, [B * T, 2 * H]), output); // [B*T, C]
    const logProbs = tf.logSoftmax(logits); // [B*T, C]
    const gold = tf.cast(tf.oneHot(tf.reshape(labels, [B * T]), C), 'float32'); // [B*T, C]
    const tokenLoss = tf.neg(tf.sum(tf.mul(logProbs, gold), 1)); // [B*T]
    const m = tf.reshape(mask, [B * T]); // [B*T]
    return tf.div(tf.sum(tf.mul(tokenLoss, m)), tf.sum(m)); // scalar
  };

  const step = () => {
    const { value, grads } = tf.variableGrads(loss, [...params.values()]);
    optimizer.step(new Map(Object.entries(grads).map(([vname, g]) => [nameOf.get(vname), g])));
    const lossValue = value.dataSync()[0];
    tf.dispose([value, ...Object.values(grads)]);
    return lossValue;
  };
  const dispose = () => {
    encoder.dispose();
    tf.dispose([output, x, mask, labels]);
  };
  return { step, dispose };
}

/** Mean and best ms of `steps` training steps after one warm-up step (none when steps <= 1). */
function timeTrainingSteps(label, steps) {
  const { step, dispose } = makeTrainingStep();
  const warmUp = steps > 1;
  if (warmUp) {
    const t0 = performance.now();
    const l = step();
    log(`${label}: warm-up step ${(performance.now() - t0).toFixed(0)} ms (loss ${l.toFixed(4)})`);
  }
  const tensorsBefore = tf.memory().numTensors;
  const times = [];
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const l = step();
    times.push(performance.now() - t0);
    log(`${label}: step ${s + 1}/${steps} ${times.at(-1).toFixed(0)} ms (loss ${l.toFixed(4)})`);
  }
  // Without a warm-up the first step also creates the optimizer's moment tensors.
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (warmUp && leaked !== 0) log(`${label}: WARNING ${leaked} tensors more after the timed steps`);
  dispose();
  return { mean: times.reduce((a, b) => a + b, 0) / times.length, best: Math.min(...times) };
}

async function canImport(pkg) {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}

const results = {
  node: process.version,
  cpus: os.cpus().length,
  // The machine may be shared: the 1-minute load average before and after the run.
  loadAverage: { start: round(os.loadavg()[0]), end: null },
  model: MODEL,
  steps: { wasm: STEPS, cpu: CPU_STEPS },
  backends: {},
  matMulGflops512: {},
  matMulTransposeAGflops512: {},
  bilstmTrainStepMs: {},
  bilstmTrainStepBestMs: {},
};

async function measure(key, init, { matMulReps, steps }) {
  const info = await init();
  results.backends[key] = describeBackend();
  log(`${key}: ${describeBackend()}`);
  results.matMulGflops512[key] = round(matMulGflops(512, matMulReps));
  results.matMulTransposeAGflops512[key] = round(matMulGflops(512, matMulReps, true));
  log(`${key}: matMul 512^3 ${results.matMulGflops512[key]} GFLOP/s, with transposeA ${results.matMulTransposeAGflops512[key]} GFLOP/s`);
  const { mean, best } = timeTrainingSteps(key, steps);
  results.bilstmTrainStepMs[key] = round(mean, 1);
  results.bilstmTrainStepBestMs[key] = round(best, 1);
  log(`${key}: BiLSTM training step ${results.bilstmTrainStepMs[key]} ms (mean of ${steps}; best ${results.bilstmTrainStepBestMs[key]} ms)`);
  return info;
}

log(`3-layer BiLSTM (hidden ${MODEL.hiddenDim}, highway), batch ${MODEL.batch} x ${MODEL.tokens} tokens, input ${MODEL.inputDim}; Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(2)}`);
await measure('wasmStock', () => initBackend({ backend: 'wasm', patch: false }), { matMulReps: 3, steps: STEPS });
await measure(
  'wasmPatched',
  async () => {
    const report = patchWasmForTraining();
    log(`patched wasm: implemented ${report.implemented.join(', ')}; replaced ${report.replaced.join(', ')}; forwarded to cpu ${report.forwardedToCpu.join(', ')}; gradients ${report.gradients.join(', ')}`);
    return initBackend({ backend: 'wasm' });
  },
  { matMulReps: 3, steps: STEPS },
);
await measure('cpu', () => initBackend({ backend: 'cpu' }), { matMulReps: 1, steps: CPU_STEPS });
if ((await canImport('@tensorflow/tfjs-node-gpu')) || (await canImport('@tensorflow/tfjs-node'))) {
  await measure('tfjsNode', () => initBackend({ backend: 'tensorflow' }), { matMulReps: 3, steps: STEPS });
} else {
  log('tfjs-node: not installed, skipped');
  results.backends.tfjsNode = null;
  results.bilstmTrainStepMs.tfjsNode = null;
  results.bilstmTrainStepBestMs.tfjsNode = null;
}
results.loadAverage.end = round(os.loadavg()[0]);
results.speedupPatchedOverStockWasm = round(results.bilstmTrainStepMs.wasmStock / results.bilstmTrainStepMs.wasmPatched);
results.speedupPatchedOverStockWasmBest = round(results.bilstmTrainStepBestMs.wasmStock / results.bilstmTrainStepBestMs.wasmPatched);
log(`patched wasm is ${results.speedupPatchedOverStockWasm}x faster than stock wasm per training step (best steps: ${results.speedupPatchedOverStockWasmBest}x)`);
console.log(JSON.stringify(results));
