import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeBackend, initBackend } from './index.js';
import { MAX_WASM_THREADS, parseWasmThreads, WASM_THREADS_ENV_VAR } from './wasm-threads.js';
import { adamwSimd } from './kernels/adamw-simd-wasm.js';
import { randomValues } from './test-support.js';
import { BiLstm } from '../recurrent/index.js';
import { Dense } from '../nn/index.js';
import { AdamW, trainStep } from '../train/index.js';

/**
 * The threaded wasm build against the stock single-threaded one, in one
 * process: every case runs on stock wasm first, then on 2 threads (switching
 * rebuilds the backend, so each case makes its own tensors from plain arrays).
 * XNNPACK may split sums differently: results must agree to 1e-5 of the
 * reference's largest magnitude.
 */

type Result = { name: string; values: Float32Array }[];

function matMuls(): Result {
  const cases: [string, number, number, number, boolean, boolean][] = [
    ['BiLSTM input projection [32x400]x[400x1600]', 32, 400, 1600, false, false],
    ['[96x300]x[300x250]', 96, 300, 250, false, false],
    ['transposed both (the patch path) [64x128]^T x [200x128]^T', 128, 64, 200, true, true],
  ];
  return cases.map(([name, m, k, n, ta, tb], i) => {
    const a = tf.tensor(randomValues(m * k, 10 + i), ta ? [k, m] : [m, k]);
    const b = tf.tensor(randomValues(k * n, 20 + i), tb ? [n, k] : [k, n]);
    const c = tf.matMul(a, b, ta, tb);
    const values = c.dataSync() as Float32Array;
    tf.dispose([a, b, c]);
    return { name, values: Float32Array.from(values) };
  });
}

/** One AdamW step of a BiLSTM tagger (embedding input, masked cross-entropy): the loss and every parameter after the step. */
function trainingStep(): Result {
  const [B, T, D, H, C] = [3, 7, 16, 24, 5];
  const bilstm = new BiLstm({ inputDim: D, hiddenDim: H, seed: 3 });
  const head = new Dense({ inputDim: 2 * H, outputDim: C, seed: 4 });
  const params = new Map([...[...bilstm.parameters()].map(([k, v]) => [`bilstm.${k}`, v] as const), ...[...head.parameters()].map(([k, v]) => [`head.${k}`, v] as const)]);
  const lengths = [7, 4, 6];
  const x = tf.tensor3d(randomValues(B * T * D, 30), [B, T, D]);
  const mask = tf.tensor2d(lengths.flatMap((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))), [B, T]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: B * T }, (_, i) => (i * 7) % C), 'int32'), C);
  const optimizer = new AdamW(params, { lr: 1e-2 });
  const loss = trainStep(
    params,
    () =>
      tf.tidy(() => {
        const logits = tf.reshape(head.apply(bilstm.apply(x, mask, false)), [B * T, C]);
        return tf.losses.softmaxCrossEntropy(labels, logits, tf.reshape(mask, [B * T])) as tf.Scalar;
      }),
    optimizer,
    { clip: 1 },
  );
  const out: Result = [{ name: 'loss', values: Float32Array.of(loss) }];
  for (const [name, p] of params) out.push({ name, values: Float32Array.from(p.dataSync() as Float32Array) });
  optimizer.dispose();
  bilstm.dispose();
  head.dispose();
  tf.dispose([x, mask, labels]);
  return out;
}

function expectClose(actual: Result, expected: Result): void {
  expect(actual.map((r) => r.name)).toEqual(expected.map((r) => r.name));
  expected.forEach((ref, i) => {
    const got = actual[i].values;
    expect(got.length, ref.name).toBe(ref.values.length);
    let scale = 0;
    let worst = 0;
    for (let j = 0; j < got.length; j++) {
      scale = Math.max(scale, Math.abs(ref.values[j]));
      worst = Math.max(worst, Math.abs(got[j] - ref.values[j]));
    }
    expect(worst, ref.name).toBeLessThanOrEqual(1e-5 * scale);
  });
}

describe('parseWasmThreads', () => {
  it('takes 1..8 and "auto", and names the source of a bad value', () => {
    expect(parseWasmThreads('2', 'x')).toBe(2);
    expect(parseWasmThreads(MAX_WASM_THREADS, 'x')).toBe(8);
    const auto = parseWasmThreads('auto', 'x');
    expect(auto).toBeGreaterThanOrEqual(1);
    expect(auto).toBeLessThanOrEqual(MAX_WASM_THREADS);
    for (const bad of ['0', '9', '1.5', 'two', '']) expect(() => parseWasmThreads(bad, WASM_THREADS_ENV_VAR)).toThrow(/SPANREL_WASM_THREADS must be/);
  });
});

describe('the wasm backend with 2 XNNPACK threads', () => {
  const saved = process.env[WASM_THREADS_ENV_VAR];
  let stock: { matMuls: Result; training: Result };

  beforeAll(async () => {
    delete process.env[WASM_THREADS_ENV_VAR];
    const info = await initBackend({ backend: 'wasm' });
    expect(info.threads).toBe(1);
    stock = { matMuls: matMuls(), training: trainingStep() };
  }, 60_000);
  afterEach(() => {
    if (saved === undefined) delete process.env[WASM_THREADS_ENV_VAR];
    else process.env[WASM_THREADS_ENV_VAR] = saved;
  });
  afterAll(async () => {
    await initBackend({ backend: 'wasm' }); // back to the stock build, which disposes the threaded pool
  });

  it('starts the pool: 2 threads reported, one pthread worker running (not holding Node), training patches applied', async () => {
    // A ref'd worker shows as an active MessagePort and would keep Node alive after its work.
    const activePorts = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;
    const portsBefore = activePorts();
    const info = await initBackend({ backend: 'wasm', threads: 2 });
    expect(activePorts()).toBe(portsBefore);
    expect(info).toMatchObject({ name: 'wasm', choice: 'wasm', threads: 2, simd: true, patched: true });
    expect(describeBackend()).toContain('CPU, SIMD, 2 threads; training patches applied');
    const module = (tf.backend() as BackendWasm).wasm as unknown as { PThread: { runningWorkers: unknown[] } };
    expect(module.PThread.runningWorkers).toHaveLength(1); // pthreadpool counts the calling thread
    // The AdamW kernel links to the threaded build's shared heap.
    expect(adamwSimd(tf.backend() as BackendWasm)).toBeDefined();
  }, 60_000);

  it('computes the stock build\'s matMuls (1e-5 relative)', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    const ones = tf.matMul(tf.ones([2, 3]), tf.ones([3, 4]));
    expect(Array.from(ones.dataSync())).toEqual(new Array(8).fill(3));
    ones.dispose();
    expectClose(matMuls(), stock.matMuls);
  });

  it('takes the stock build\'s training step (1e-5 relative)', async () => {
    await initBackend({ backend: 'wasm', threads: 2 });
    expectClose(trainingStep(), stock.training);
  });

  it('honours SPANREL_WASM_THREADS, and goes back to one thread without it', async () => {
    process.env[WASM_THREADS_ENV_VAR] = '2';
    expect((await initBackend({ backend: 'wasm' })).threads).toBe(2);
    process.env[WASM_THREADS_ENV_VAR] = 'many';
    await expect(initBackend({ backend: 'wasm' })).rejects.toThrow(/SPANREL_WASM_THREADS must be an integer/);
    delete process.env[WASM_THREADS_ENV_VAR];
    const info = await initBackend({ backend: 'wasm' });
    expect(info.threads).toBe(1);
    expect(describeBackend()).toContain('SIMD, 1 thread;');
    expectClose(matMuls(), stock.matMuls);
  }, 60_000);
});
