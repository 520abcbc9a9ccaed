import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { LayerNorm } from './index.js';
import { layerNorm } from '../ops/layer-norm.js';
import { setFusedKernels } from '../backend/fused-kernels.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function naiveNorm(v: number[], gamma: number[], beta: number[], eps: number): number[] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return v.map((e, i) => ((e - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

afterAll(() => setFusedKernels(true));

for (const fused of [true, false]) describe(`LayerNorm ("layer-norm.v1"), ${fused ? 'closed-form gradient' : 'op by op'}`, () => {
  beforeEach(() => setFusedKernels(fused));
  const x = randomTensor([2, 3, 6], 1, -2, 4); // [B, T, D]

  it('is built through the registry with BERT eps 1e-12 and matches a naive loop', () => {
    const norm = registry.build<LayerNorm>('layer-norm.v1', { dim: 6 });
    expect(norm.config()).toEqual({ dim: 6, eps: 1e-12 });
    expect([norm.inputDim, norm.outputDim]).toEqual([6, 6]);
    const y = tf.tidy(() => norm.apply(x).arraySync()) as number[][][];
    (x.arraySync() as number[][][]).forEach((xb, b) =>
      xb.forEach((v, t) => naiveNorm(v, new Array(6).fill(1), new Array(6).fill(0), 1e-12).forEach((e, i) => expect(y[b][t][i]).toBeCloseTo(e, 4))),
    );
    norm.dispose();
  });

  it('uses its eps, gamma and beta', () => {
    const norm = registry.build<LayerNorm>('layer-norm.v1', { dim: 6, eps: 0.5 });
    const gamma = [1, 2, 3, 4, 5, 6];
    const beta = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    norm.gamma.assign(tf.tensor1d(gamma));
    norm.beta.assign(tf.tensor1d(beta));
    const y = tf.tidy(() => norm.apply(x).arraySync()) as number[][][];
    const v = (x.arraySync() as number[][][])[1][2];
    naiveNorm(v, gamma, beta, 0.5).forEach((e, i) => expect(y[1][2][i]).toBeCloseTo(e, 4));
    expect(() => new LayerNorm({ dim: 6, eps: 0 })).toThrow(/layer-norm.v1: config.eps/);
    expect(() => norm.apply(tf.zeros([2, 5]))).toThrow(/config.dim = 6/);
    norm.dispose();
  });

  it('has numerically correct gradients, to x and to gamma and beta', () => {
    const norm = new LayerNorm({ dim: 6, eps: 1e-5 });
    norm.gamma.assign(tf.tensor1d([0.5, 1.5, -1, 2, 1, 0.25]));
    checkGradients((a) => norm.apply(a), [x]);
    checkGradients((a, g, b) => layerNorm(a, g, b, 1e-5), [x, tf.tensor1d([0.5, 1.5, -1, 2, 1, 0.25]), tf.tensor1d([0, 1, 2, 3, 4, 5])]);
    norm.dispose();
  });

  it('leaks no tensors', () => {
    const norm = new LayerNorm({ dim: 6 });
    expectNoLeak(() => norm.apply(x));
    norm.dispose();
  });
});

describe('layerNorm: the closed-form gradient against tfjs autograd of the same ops', () => {
  it('gives bit-identical values and gradients to 1e-6 (x, gamma, beta) with fewer kernels', async () => {
    const x = randomTensor([3, 5, 16], 7, -3, 3); // [B, T, D]
    const gamma = randomTensor([16], 8, 0.5, 1.5);
    const beta = randomTensor([16], 9);
    const upstream = randomTensor([3, 5, 16], 10);
    const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(layerNorm(a, g, b, 1e-12), upstream));
    const run = (on: boolean) => {
      setFusedKernels(on);
      return tf.tidy(() => [layerNorm(x, gamma, beta, 1e-12), ...tf.grads(f)([x, gamma, beta])].map((t) => Float32Array.from(t.dataSync())));
    };
    const kernels = async (on: boolean) => {
      setFusedKernels(on);
      const info = await tf.profile(() => tf.grads(f)([x, gamma, beta]));
      tf.dispose(info.result as tf.Tensor[]);
      return info.kernelNames.length;
    };
    try {
      const fused = run(true);
      const plain = run(false);
      expect(fused[0]).toEqual(plain[0]); // the forward runs the same kernels in the same order
      for (let k = 1; k < 4; k++) {
        const scale = Math.max(...plain[k].map(Math.abs));
        for (let i = 0; i < plain[k].length; i++) expect(Math.abs(fused[k][i] - plain[k][i]) / scale).toBeLessThan(1e-6);
      }
      expect(await kernels(true)).toBeLessThan(await kernels(false));
    } finally {
      setFusedKernels(true);
      tf.dispose([x, gamma, beta, upstream]);
    }
  });
});
