import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Dense, describeBackend, initBackend, matMulRuntimeCalls, naiveMatMul, setFusedKernels, setMatMulRuntime, type MatMulProduct } from '@spanrel/tensor-core';
import { installOnnxMatMulRuntime, MULTI_THREAD_MULTIPLY_ADDS, onnxMatMulRuntime, setOnnxMatMul } from './onnx-mat-mul-runtime.js';
import { setOnnxInference } from './onnx-inference-switch.js';
import { loadOnnxRuntime, setOnnxRuntimeLoader } from './onnxruntime-module.js';
import { relativeDiff as relativeToExpected } from './onnx-test-support.js';

/** Seeded values in [-1, 1) (a small LCG: the expectation must not depend on tfjs). */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = seed >>> 0;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** Relative to the expectation's scale, which must be a real signal (above 0.1). */
const relativeDiff = (actual: ArrayLike<number>, expected: ArrayLike<number>) => relativeToExpected(actual, expected, 0.1);

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
  expect(loadOnnxRuntime()).not.toBeNull();
});
afterEach(() => {
  setMatMulRuntime(null);
  setOnnxMatMul(true);
  setOnnxInference(true, { threads: null });
  setOnnxRuntimeLoader();
  setFusedKernels(true);
});

describe('onnxMatMulRuntime (Gemm on onnxruntime-node)', () => {
  const [M, K, N] = [37, 53, 29];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      it(`computes op(a) @ op(b) on views inside one buffer, as a naive float64 loop does (transposeA ${ta}, transposeB ${tb})`, () => {
        const aShape = ta ? [K, M] : [M, K];
        const bShape = tb ? [N, K] : [K, N];
        // One buffer laid out as the wasm heap would be: a, a gap, b, a gap, the output, a tail.
        const heap = new Float32Array(7 + M * K + 5 + K * N + 3 + M * N + 11).fill(-7);
        const a = heap.subarray(7, 7 + M * K);
        const b = heap.subarray(12 + M * K, 12 + M * K + K * N);
        const out = heap.subarray(15 + M * K + K * N, 15 + M * K + K * N + M * N);
        a.set(values(M * K, 1));
        b.set(values(K * N, 2));
        const product: MatMulProduct = { a, aRows: aShape[0], aCols: aShape[1], transposeA: ta, b, bRows: bShape[0], bCols: bShape[1], transposeB: tb, out };
        expect(onnxMatMulRuntime.multiply(product)).toBe(true);
        expect(relativeDiff(out, naiveMatMul(a, aShape, ta, b, bShape, tb))).toBeLessThan(1e-6);
        // Nothing written outside the output's view.
        const outside = [...heap.subarray(0, 7), ...heap.subarray(7 + M * K, 12 + M * K), ...heap.subarray(12 + M * K + K * N, 15 + M * K + K * N), ...heap.subarray(15 + M * K + K * N + M * N)];
        expect(outside.every((v) => v === -7)).toBe(true);
      });
    }
  }

  it('declines with the switch off, with the fused kernels off, and when onnxruntime-node cannot be loaded', () => {
    const product = (): MatMulProduct => ({ a: values(M * K, 3), aRows: M, aCols: K, transposeA: false, b: values(K * N, 4), bRows: K, bCols: N, transposeB: false, out: new Float32Array(M * N) });
    setOnnxMatMul(false);
    expect(onnxMatMulRuntime.multiply(product())).toBe(false);
    setOnnxMatMul(true);
    setFusedKernels(false);
    expect(onnxMatMulRuntime.multiply(product())).toBe(false);
    setFusedKernels(true);
    setOnnxRuntimeLoader(() => {
      throw new Error('Cannot find module onnxruntime-node');
    });
    expect(onnxMatMulRuntime.multiply(product())).toBe(false);
    expect(onnxMatMulRuntime.name).toMatch(/not loaded/);
    setOnnxRuntimeLoader();
    expect(onnxMatMulRuntime.multiply(product())).toBe(true);
    expect(onnxMatMulRuntime.name).toMatch(/^onnxruntime-node 1\.\d+\.\d+ \(Gemm\)$/);
  });

  it('gives a product over the multi-thread size the same on one thread and on two', () => {
    const [m, k, n] = [256, 384, 352]; // 34.6 M multiply-adds
    expect(m * k * n).toBeGreaterThanOrEqual(MULTI_THREAD_MULTIPLY_ADDS);
    const a = values(m * k, 5);
    const b = values(k * n, 6);
    const run = () => {
      const out = new Float32Array(m * n);
      expect(onnxMatMulRuntime.multiply({ a, aRows: m, aCols: k, transposeA: false, b, bRows: k, bCols: n, transposeB: false, out })).toBe(true);
      return out;
    };
    setOnnxInference(true, { threads: 1 });
    const one = run();
    setOnnxInference(true, { threads: 2 });
    const two = run();
    const expected = naiveMatMul(a, [m, k], false, b, [k, n], false);
    expect(relativeDiff(one, expected)).toBeLessThan(1e-6);
    expect(relativeDiff(two, expected)).toBeLessThan(1e-6);
  });
});

describe('the wasm backend with installOnnxMatMulRuntime', () => {
  it('names the runtime in describeBackend, and says when it is switched off', () => {
    expect(describeBackend()).not.toContain('large matMuls');
    installOnnxMatMulRuntime();
    expect(describeBackend()).toMatch(/training patches applied; large matMuls on onnxruntime-node 1\.\d+\.\d+ \(Gemm\);/);
    setOnnxMatMul(false);
    expect(describeBackend()).toContain('large matMuls on onnxruntime-node (switched off: SPANREL_ONNX_MATMUL=0 or setOnnxMatMul(false))');
  });

  it('runs a dense layer forward and backward through onnxruntime, equal to XNNPACK to 1e-5 relative', () => {
    // [B, T, D] = [3, 40, 96] into 128 units: 491,520 multiply-adds forward, the gradients as many each.
    const dense = new Dense({ inputDim: 96, outputDim: 128, seed: 3 });
    const x = tf.tensor(values(3 * 40 * 96, 7), [3, 40, 96]);
    const w = tf.tensor(values(3 * 40 * 128, 8), [3, 40, 128]);
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(dense.apply(x), w)) as tf.Scalar, [dense.kernel]);
        const dx = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(dense.apply(xs), w)))(x);
        return [dense.apply(x), value, grads[dense.kernel.name], dx].map((t) => Float32Array.from(t.dataSync()));
      });
    installOnnxMatMulRuntime();
    const before = matMulRuntimeCalls();
    const native = run();
    const calls = matMulRuntimeCalls() - before;
    setMatMulRuntime(null);
    const xnnpack = run();
    expect(calls).toBeGreaterThanOrEqual(4); // y (twice), dW, dX
    for (let i = 0; i < native.length; i++) expect(relativeDiff(native[i], xnnpack[i])).toBeLessThan(1e-5);
    tf.dispose([x, w]);
    dense.dispose();
  });
});
