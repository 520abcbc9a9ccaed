import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { setFusedKernels } from './fused-kernels.js';
import { matMulRuntimeCalls, MIN_RUNTIME_INNER_DIM, MIN_RUNTIME_MULTIPLY_ADDS, setMatMulRuntime, type MatMulProduct, type MatMulRuntime } from './mat-mul-runtime.js';
import { randomValues } from './test-support.js';
import { naiveMatMul, relativeToScale } from '../testing/naive-mat-mul.js';

/** A runtime that computes with {@link naiveMatMul} and records what it was given. */
class RecordingRuntime implements MatMulRuntime {
  readonly name = 'naive loop (test)';
  seen: { aRows: number; aCols: number; transposeA: boolean; bRows: number; bCols: number; transposeB: boolean; sizes: number[] }[] = [];
  constructor(private readonly accept = true) {}
  multiply(p: MatMulProduct): boolean {
    this.seen.push({ aRows: p.aRows, aCols: p.aCols, transposeA: p.transposeA, bRows: p.bRows, bCols: p.bCols, transposeB: p.transposeB, sizes: [p.a.length, p.b.length, p.out.length] });
    if (!this.accept) {
      p.out.fill(Number.NaN); // a runtime that scribbles, then declines: tfjs must still give the product
      return false;
    }
    p.out.set(naiveMatMul(p.a, [p.aRows, p.aCols], p.transposeA, p.b, [p.bRows, p.bCols], p.transposeB));
    return true;
  }
}

beforeAll(async () => {
  const info = await initBackend({ backend: 'wasm' });
  expect(info.name).toBe('wasm');
});

afterEach(() => {
  setMatMulRuntime(null);
  setFusedKernels(true);
});

describe('the wasm BatchMatMul kernel on an installed MatMulRuntime', () => {
  const [M, K, N] = [96, 80, 72]; // 552,960 multiply-adds: over the threshold
  it('takes the thresholds as documented', () => {
    expect(M * K * N).toBeGreaterThanOrEqual(MIN_RUNTIME_MULTIPLY_ADDS);
    expect(Math.min(M, K, N)).toBeGreaterThanOrEqual(MIN_RUNTIME_INNER_DIM);
  });

  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`hands a 2-D product to the runtime with its flags as they are (transposeA ${ta}, transposeB ${tb})`, () => {
        const aShape = ta ? [K, M] : [M, K];
        const bShape = tb ? [N, K] : [K, N];
        const a = randomValues(M * K, 1);
        const b = randomValues(K * N, 2);
        const runtime = new RecordingRuntime();
        setMatMulRuntime(runtime);
        const before = matMulRuntimeCalls();
        const y = tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), ta, tb));
        expect(y.shape).toEqual([M, N]);
        expect(relativeToScale(y.dataSync(), naiveMatMul(a, aShape, ta, b, bShape, tb))).toBeLessThan(1e-6);
        expect(matMulRuntimeCalls() - before).toBe(1);
        expect(runtime.seen).toEqual([{ aRows: aShape[0], aCols: aShape[1], transposeA: ta, bRows: bShape[0], bCols: bShape[1], transposeB: tb, sizes: [M * K, K * N, M * N] }]);
        y.dispose();
      });
    }
  }

  it('reads a batch of `a` under a shared `b` as one product (a dense layer on [B, T, D]), and its gradients too', () => {
    const [B, T, D, H] = [4, 30, 64, 80]; // 614,400 multiply-adds
    const x = randomValues(B * T * D, 3);
    const w = randomValues(D * H, 4);
    const dy = randomValues(B * T * H, 5);
    const runtime = new RecordingRuntime();
    setMatMulRuntime(runtime);
    const [y, dx, dw] = tf.tidy(() => {
      const xt = tf.tensor(x, [B, T, D]);
      const wt = tf.tensor(w, [D, H]);
      const f = (xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.mul(tf.matMul(xs, ws), tf.tensor(dy, [B, T, H])));
      const [gx, gw] = tf.grads(f)([xt, wt]);
      return [tf.matMul(xt, wt), gx, gw];
    });
    expect(y.shape).toEqual([B, T, H]);
    expect(relativeToScale(y.dataSync(), naiveMatMul(x, [B * T, D], false, w, [D, H], false))).toBeLessThan(1e-6);
    expect(relativeToScale(dx.dataSync(), naiveMatMul(dy, [B * T, H], false, w, [D, H], true))).toBeLessThan(1e-6); // dY W^T
    expect(relativeToScale(dw.dataSync(), naiveMatMul(x, [B * T, D], true, dy, [B * T, H], false))).toBeLessThan(1e-6); // X^T dY
    expect(runtime.seen.some((s) => s.aRows === B * T && s.aCols === D && !s.transposeA && s.bRows === D && s.bCols === H)).toBe(true);
    tf.dispose([y, dx, dw]);
  });

  it('keeps small products, outer products, batches of products and transposed batches of `a` on XNNPACK', () => {
    const runtime = new RecordingRuntime();
    setMatMulRuntime(runtime);
    const before = matMulRuntimeCalls();
    const small = [16, 16, 16];
    tf.tidy(() => {
      tf.matMul(tf.tensor(randomValues(small[0] * small[1], 6), [small[0], small[1]]), tf.tensor(randomValues(small[1] * small[2], 7), [small[1], small[2]]));
      tf.matMul(tf.tensor(randomValues(4 * M * K, 8), [4, M, K]), tf.tensor(randomValues(4 * K * N, 9), [4, K, N])); // attention-like: a batch on both sides
      tf.matMul(tf.tensor(randomValues(4 * K * M, 10), [4, K, M]), tf.tensor(randomValues(K * N, 11), [K, N]), true, false);
      // An outer product (K = 1) of 2760 x 500: 1.38 M multiply-adds, but as many outputs.
      tf.matMul(tf.tensor(randomValues(2760, 12), [1, 2760]), tf.tensor(randomValues(500, 13), [1, 500]), true, false);
    });
    expect(runtime.seen).toEqual([]);
    expect(matMulRuntimeCalls()).toBe(before);
  });

  it('is not used with the fused kernels off (the op-by-op path)', () => {
    const runtime = new RecordingRuntime();
    setMatMulRuntime(runtime);
    setFusedKernels(false);
    const y = tf.tidy(() => tf.matMul(tf.tensor(randomValues(M * K, 12), [M, K]), tf.tensor(randomValues(K * N, 13), [K, N])));
    expect(runtime.seen).toEqual([]);
    y.dispose();
  });

  it('falls back to XNNPACK when the runtime declines, and frees the output it had allocated', () => {
    const a = randomValues(M * K, 14);
    const b = randomValues(K * N, 15);
    const runtime = new RecordingRuntime(false);
    setMatMulRuntime(runtime);
    const y0 = tf.tidy(() => tf.matMul(tf.tensor(a, [M, K]), tf.tensor(b, [K, N]))); // warms up XNNPACK's caches
    y0.dispose();
    const bytes = tf.memory().numBytes;
    const tensors = tf.memory().numTensors;
    const y = tf.tidy(() => tf.matMul(tf.tensor(a, [M, K]), tf.tensor(b, [K, N])));
    expect(runtime.seen.length).toBe(2);
    expect(relativeToScale(y.dataSync(), naiveMatMul(a, [M, K], false, b, [K, N], false))).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    expect(tf.memory().numBytes).toBe(bytes + 4 * M * N);
    y.dispose();
  });
});
