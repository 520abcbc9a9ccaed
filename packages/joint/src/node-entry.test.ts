import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxFeedForwardRuntime, onnxMatMulRuntime } from '@spanrel/encoders';
import { describeBackend, feedForwardRuntime, initBackend, matMulRuntime, matMulRuntimeCalls } from '@spanrel/tensor-core';
import './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

describe("@spanrel/joint's Node entry", () => {
  it('installs the onnxruntime-node runtimes: the MLPs at inference, the large matMuls always', () => {
    expect(feedForwardRuntime()).toBe(onnxFeedForwardRuntime);
    expect(matMulRuntime()).toBe(onnxMatMulRuntime);
    expect(describeBackend()).toMatch(/large matMuls on onnxruntime-node 1\.\d+\.\d+ \(Gemm\)/);
    // A dense-layer-sized product and its gradients go to it.
    const before = matMulRuntimeCalls();
    tf.tidy(() => {
      const x = tf.randomNormal([120, 96], 0, 1, 'float32', 1); // [N, in]
      const w = tf.randomNormal([96, 64], 0, 1, 'float32', 2); // [in, out]: 737,280 multiply-adds
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.matMul(a, b)))([x, w]);
    });
    expect(matMulRuntimeCalls() - before).toBe(3); // forward, dX = dY W^T, dW = X^T dY
  });
});
