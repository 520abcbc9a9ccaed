// The wasm backend with 1 XNNPACK thread against N threads, interleaved in one
// process (initBackend switches the build each time, alternating which goes
// first), so a load that drifts hits both alike: a 1024x1024x1024 matMul, the
// BiLSTM input projection [32x400]x[400x1600], and one training step of a
// BiLSTM (2 layers, 200 hidden, input 250, batch 8 x 30, AdamW). Prints the
// medians and the per-round speed-ups (1-thread time / N-thread time); the
// last line is one JSON object.
//
// Run: pnpm --filter @spanrel/tensor-core build && node packages/tensor-core/bench/bench-wasm-threads.mjs
// Env: BENCH_THREADS (default "auto": the cores, at most 8), BENCH_ROUNDS (default 8).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const distEntry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
if (!existsSync(distEntry)) {
  console.error(`bench: ${distEntry} is missing; run "pnpm --filter @spanrel/tensor-core build" first`);
  process.exit(1);
}
const tf = await import('@tensorflow/tfjs-core');
const { initBackend, describeBackend, BiLstm, AdamW, trainStep } = await import('../dist/index.js');

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const many = (await initBackend({ backend: 'wasm', threads: process.env.BENCH_THREADS ?? 'auto' })).threads;
if (many < 2) {
  console.error('bench: one core here; set BENCH_THREADS=2 or more to compare anyway');
  process.exit(1);
}

/** ms per call of `f` over `reps` calls, after one warm-up call. */
function time(f, reps) {
  f();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) f();
  return Number(process.hrtime.bigint() - t0) / 1e6 / reps;
}

function matMulMs(m, k, n, reps) {
  const a = tf.randomUniform([m, k], -1, 1, 'float32', 1);
  const b = tf.randomUniform([k, n], -1, 1, 'float32', 2);
  // Not tf.tidy(() => ....dataSync()): tidy walks a returned typed array element by element.
  const ms = time(() => {
    const c = tf.matMul(a, b);
    c.dataSync();
    c.dispose();
  }, reps);
  tf.dispose([a, b]);
  return ms;
}

function trainStepMs(reps) {
  const [B, T, D, H, C] = [8, 30, 250, 200, 10];
  const encoder = new BiLstm({ inputDim: D, hiddenDim: H, numLayers: 2, seed: 1 });
  const output = tf.variable(tf.randomNormal([2 * H, C], 0, 0.05, 'float32', 3), true, `bench.output.${Math.random()}`);
  const params = new Map([...encoder.parameters(), ['output.kernel', output]]);
  const optimizer = new AdamW(params, { lr: 1e-3 });
  const x = tf.randomNormal([B, T, D], 0, 1, 'float32', 4);
  const mask = tf.ones([B, T]);
  const gold = tf.oneHot(tf.tensor1d(Array.from({ length: B * T }, (_, i) => (i * 7) % C), 'int32'), C);
  const loss = () => tf.losses.softmaxCrossEntropy(gold, tf.matMul(tf.reshape(encoder.apply(x, mask, true), [B * T, 2 * H]), output));
  const ms = time(() => trainStep(params, loss, optimizer, { clip: 1 }), reps);
  optimizer.dispose();
  encoder.dispose();
  tf.dispose([output, x, mask, gold]);
  return ms;
}

const CASES = {
  'matMul 1024x1024x1024': () => matMulMs(1024, 1024, 1024, 3),
  'matMul [32x400]x[400x1600]': () => matMulMs(32, 400, 1600, 100),
  'BiLSTM training step': () => trainStepMs(2),
};
const times = { 1: {}, [many]: {} };
const speedUps = {};
for (let r = 0; r < ROUNDS; r++) {
  const round = {};
  for (const threads of r % 2 ? [many, 1] : [1, many]) {
    await initBackend({ backend: 'wasm', threads });
    for (const [name, run] of Object.entries(CASES)) {
      const ms = run();
      (times[threads][name] ??= []).push(ms);
      (round[name] ??= {})[threads] = ms;
    }
  }
  for (const name of Object.keys(CASES)) (speedUps[name] ??= []).push(round[name][1] / round[name][many]);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r2 = (v) => Number(v.toFixed(2));
console.log(`[bench] ${describeBackend()}; ${ROUNDS} rounds; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
const summary = { threads: many, rounds: ROUNDS, cases: {} };
for (const name of Object.keys(CASES)) {
  const s = { ms1: r2(median(times[1][name])), msN: r2(median(times[many][name])), speedUp: r2(median(speedUps[name])), speedUps: speedUps[name].map(r2) };
  summary.cases[name] = s;
  console.log(`[bench] ${name}: 1 thread ${s.ms1} ms, ${many} threads ${s.msN} ms, speed-up ${s.speedUp} (rounds: ${s.speedUps.join(' ')})`);
}
console.log(JSON.stringify(summary));
