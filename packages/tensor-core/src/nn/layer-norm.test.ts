import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { LayerNorm } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function naiveNorm(v: number[], gamma: number[], beta: number[], eps: number): number[] {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return v.map((e, i) => ((e - mean) / Math.sqrt(variance + eps)) * gamma[i] + beta[i]);
}

describe('LayerNorm ("layer-norm.v1")', () => {
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

  it('has numerically correct gradients', () => {
    const norm = new LayerNorm({ dim: 6, eps: 1e-5 });
    checkGradients((a) => norm.apply(a), [x]);
    norm.dispose();
  });

  it('leaks no tensors', () => {
    const norm = new LayerNorm({ dim: 6 });
    expectNoLeak(() => norm.apply(x));
    norm.dispose();
  });
});
