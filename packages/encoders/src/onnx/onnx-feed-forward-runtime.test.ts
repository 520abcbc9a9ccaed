import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AdamW, assignParameters, expectNoLeak, FeedForward, feedForwardRuntime, initBackend, pairFeedForward, setFeedForwardRuntime, setFusedKernels } from '@spanrel/tensor-core';
import { buildFeedForwardOnnxModel } from './feed-forward-onnx-graph.js';
import { installOnnxFeedForwardRuntime, onnxFeedForwardBuilds, onnxFeedForwardRuntime } from './onnx-feed-forward-runtime.js';
import { setOnnxInference } from './onnx-inference-switch.js';
import { loadOnnxRuntime, setOnnxRuntimeLoader } from './onnxruntime-module.js';
import { RELATIVE, relativeDiff } from './onnx-test-support.js';

/** The MLP's output with the ONNX runtime installed or not. */
function applyWith(onnx: boolean, mlp: FeedForward, x: tf.Tensor): tf.Tensor {
  const previous = setFeedForwardRuntime(onnx ? onnxFeedForwardRuntime : null);
  try {
    return mlp.apply(x, false);
  } finally {
    setFeedForwardRuntime(previous);
  }
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  expect(loadOnnxRuntime()).not.toBeNull();
});
afterEach(() => {
  setFeedForwardRuntime(null);
  setOnnxInference(true, { threads: null });
  setOnnxRuntimeLoader();
  setFusedKernels(true);
});

describe('FeedForward inference on onnxruntime-node', () => {
  it('equals the tfjs forward to 1e-5 relative for every supported activation, any leading shape', () => {
    for (const [activation, outputActivation] of [['relu', 'linear'], ['tanh', 'sigmoid']] as const) {
      const mlp = new FeedForward({ inputDim: 9, hiddenDims: [11, 6], outputDim: 4, activation, outputActivation, dropout: 0.3, seed: 2 });
      const x = tf.randomNormal([2, 5, 9], 0, 1, 'float32', 3); // [B, S, D]
      const builds = onnxFeedForwardBuilds();
      const onnx = applyWith(true, mlp, x);
      const tfjs = applyWith(false, mlp, x);
      expect(onnxFeedForwardBuilds()).toBe(builds + 1);
      expect(onnx.shape).toEqual([2, 5, 4]);
      expect(relativeDiff(onnx, tfjs)).toBeLessThan(RELATIVE);
      tf.dispose([x, onnx, tfjs]);
      mlp.dispose();
    }
  });

  it('runs training forwards, gelu, and the op-by-op switches on tfjs, bit for bit; and a missing onnxruntime-node too', () => {
    const mlp = new FeedForward({ inputDim: 5, hiddenDims: [7], outputDim: 3, seed: 4 });
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 5); // [N, D]
    const tfjs = applyWith(false, mlp, x);
    installOnnxFeedForwardRuntime();
    expect(feedForwardRuntime()).toBe(onnxFeedForwardRuntime);
    const builds = onnxFeedForwardBuilds();
    const same = (out: tf.Tensor) => {
      expect(out.dataSync()).toEqual(tfjs.dataSync());
      out.dispose();
    };
    setOnnxInference(false);
    same(mlp.apply(x, false));
    setOnnxInference(true);
    setFusedKernels(false);
    same(mlp.apply(x, false));
    setFusedKernels(true);
    setOnnxRuntimeLoader(() => {
      throw new Error("Cannot find module 'onnxruntime-node'");
    });
    same(mlp.apply(x, false));
    setOnnxRuntimeLoader();
    expect(onnxFeedForwardBuilds()).toBe(builds); // none of these built a session
    const trained = tf.tidy(() => mlp.apply(x, true)); // dropout 0: the same values, from tfjs
    same(trained);
    const gelu = new FeedForward({ inputDim: 5, hiddenDims: [7], outputDim: 3, activation: 'gelu', seed: 4 });
    const geluTfjs = applyWith(false, gelu, x);
    const geluOut = gelu.apply(x, false);
    expect(geluOut.dataSync()).toEqual(geluTfjs.dataSync());
    expect(onnxFeedForwardBuilds()).toBe(builds);
    tf.dispose([x, tfjs, geluTfjs, geluOut]);
    mlp.dispose();
    gelu.dispose();
  });

  it('rebuilds the session once after an optimizer step or an assign, and not otherwise', () => {
    const mlp = new FeedForward({ inputDim: 4, hiddenDims: [8], outputDim: 2, seed: 6 });
    const x = tf.randomNormal([3, 4], 0, 1, 'float32', 7);
    const first = applyWith(true, mlp, x);
    const builds = onnxFeedForwardBuilds();
    const again = applyWith(true, mlp, x);
    expect(onnxFeedForwardBuilds()).toBe(builds);
    expect(again.dataSync()).toEqual(first.dataSync());

    const params = mlp.parameters();
    const optimizer = new AdamW(params, { lr: 0.05, fused: true });
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(mlp.apply(x, true))) as tf.Scalar, [...params.values()]);
    optimizer.step(new Map([...params].map(([name, v]) => [name, grads[v.name]])));
    tf.dispose(Object.values(grads));
    optimizer.dispose();
    const stepped = applyWith(true, mlp, x);
    const steppedAgain = applyWith(true, mlp, x);
    const steppedTfjs = applyWith(false, mlp, x);
    expect(onnxFeedForwardBuilds()).toBe(builds + 1);
    expect(relativeDiff(stepped, first)).toBeGreaterThan(1e-3);
    expect(relativeDiff(stepped, steppedTfjs)).toBeLessThan(RELATIVE);

    const halved = new Map([...params].map(([name, v]) => [name, tf.mul(v, 0.5)]));
    assignParameters(mlp, halved);
    tf.dispose([...halved.values()]);
    const assigned = applyWith(true, mlp, x);
    const assignedTfjs = applyWith(false, mlp, x);
    expect(onnxFeedForwardBuilds()).toBe(builds + 2);
    expect(relativeDiff(assigned, assignedTfjs)).toBeLessThan(RELATIVE);
    tf.dispose([x, first, again, stepped, steppedAgain, steppedTfjs, assigned, assignedTfjs]);
    mlp.dispose();
  });

  it('leaks no tensor', () => {
    const mlp = new FeedForward({ inputDim: 4, hiddenDims: [8], outputDim: 2, seed: 6 });
    const x = tf.randomNormal([2, 3, 4]);
    setFeedForwardRuntime(onnxFeedForwardRuntime);
    expectNoLeak(() => mlp.apply(x, false));
    expectNoLeak(() => mlp.apply(x, false));
    tf.dispose(x);
    mlp.dispose();
  });

  it('scores pairs of spans ([g_i; g_j; g_i * g_j], gathered inside onnxruntime) as the tfjs composition does, padding pairs included', () => {
    const mlp = new FeedForward({ inputDim: 3 * 5, hiddenDims: [9, 7], outputDim: 4, seed: 8 });
    const reps = tf.randomNormal([2, 3, 5], 0, 1, 'float32', 9); // [B, K, Ds]
    const pairs = tf.tensor3d([[[0, 1], [1, 0], [2, 1], [1, 2], [0, 2], [2, 0]], [[0, 1], [1, 0], [0, 0], [0, 0], [0, 0], [0, 0]]], [2, 6, 2], 'int32'); // [B, P, 2]
    const pairOf = (onnx: boolean) => {
      const previous = setFeedForwardRuntime(onnx ? onnxFeedForwardRuntime : null);
      try {
        return pairFeedForward(mlp, reps as tf.Tensor3D, pairs, false);
      } finally {
        setFeedForwardRuntime(previous);
      }
    };
    const builds = onnxFeedForwardBuilds();
    const onnx = pairOf(true);
    const tfjs = pairOf(false);
    expect(onnxFeedForwardBuilds()).toBe(builds + 1);
    expect(onnx.shape).toEqual([2, 6, 4]);
    expect(relativeDiff(onnx, tfjs)).toBeLessThan(RELATIVE);
    // a naive pair by pair reference
    const r = reps.arraySync() as number[][][];
    const naive = (pairs.arraySync() as number[][][]).map((row, b) =>
      row.map(([i, j]) => {
        const x = tf.tensor2d([[...r[b][i], ...r[b][j], ...r[b][i].map((v, d) => v * r[b][j][d])]]);
        const y = Array.from(mlp.apply(x, true).dataSync());
        x.dispose();
        return y;
      }),
    );
    const got = onnx.arraySync() as number[][][];
    naive.forEach((row, b) => row.forEach((y, p) => y.forEach((v, k) => expect(Math.abs(got[b][p][k] - v)).toBeLessThan(1e-5 * (1 + Math.abs(v))))));
    setFeedForwardRuntime(onnxFeedForwardRuntime);
    expectNoLeak(() => pairFeedForward(mlp, reps as tf.Tensor3D, pairs, false));
    const trained = pairFeedForward(mlp, reps as tf.Tensor3D, pairs, true); // training: tfjs, bit for bit
    expect(trained.dataSync()).toEqual(tfjs.dataSync());
    tf.dispose([reps, pairs, onnx, tfjs, trained]);
    mlp.dispose();
  });

  it('writes a graph of MatMul, Add and activations onnxruntime-node reads', () => {
    const mlp = new FeedForward({ inputDim: 3, hiddenDims: [4], outputDim: 2, seed: 1 });
    const bytes = buildFeedForwardOnnxModel(mlp);
    expect(bytes.length).toBeGreaterThan(4 * (3 * 4 + 4 + 4 * 2 + 2));
    const session = loadOnnxRuntime()!.createSession(bytes, 1);
    const out = session.run({ x: { data: Float32Array.of(1, 2, 3), dims: [1, 3] } }, 'y');
    expect(out.dims).toEqual([1, 2]);
    session.release();
    mlp.dispose();
  });
});
