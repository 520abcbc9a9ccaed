import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { Highway } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function affine(v: number[], kernel: number[][], bias: number[]): number[] {
  return kernel[0].map((_, o) => v.reduce((acc, vi, i) => acc + vi * kernel[i][o], bias[o]));
}

/** Plain-JS highway stack: y = g * relu(W_h x + b_h) + (1 - g) * x, g = sigmoid(W_g x + b_g). */
function naiveHighway(layer: Highway, v: number[]): number[] {
  const p = layer.parameters();
  const get = (name: string) => p.get(name)!.arraySync() as number[][] & number[];
  let h = v;
  for (let i = 0; i < layer.config().numLayers; i++) {
    const transformed = affine(h, get(`layers.${i}.transform.kernel`), get(`layers.${i}.transform.bias`)).map((e) => Math.max(0, e));
    const gate = affine(h, get(`layers.${i}.gate.kernel`), get(`layers.${i}.gate.bias`)).map((e) => 1 / (1 + Math.exp(-e)));
    h = h.map((e, d) => gate[d] * transformed[d] + (1 - gate[d]) * e);
  }
  return h;
}

describe('Highway ("highway.v1")', () => {
  const x = randomTensor([2, 3, 4], 1); // [B, T, D]

  it('is built through the registry and matches a naive loop (2 layers)', () => {
    const hw = registry.build<Highway>('highway.v1', { dim: 4, numLayers: 2, seed: 3 });
    expect([hw.inputDim, hw.outputDim]).toEqual([4, 4]);
    expect(hw.parameters().get('layers.1.gate.bias')!.arraySync()).toEqual([-1, -1, -1, -1]); // gate starts mostly closed
    const y = tf.tidy(() => hw.apply(x).arraySync()) as number[][][];
    (x.arraySync() as number[][][]).forEach((xb, b) => xb.forEach((v, t) => naiveHighway(hw, v).forEach((e, d) => expect(y[b][t][d]).toBeCloseTo(e, 5))));
    hw.dispose();
  });

  it('rebuilds identically from config(); a closed gate passes x through', () => {
    const hw = new Highway({ dim: 4, seed: 8 });
    const twin = registry.build<Highway>(hw.name, JSON.parse(JSON.stringify(hw.config())));
    tf.tidy(() => {
      expect(twin.apply(x).arraySync()).toEqual(hw.apply(x).arraySync());
    });
    const closed = new Highway({ dim: 4, gateBias: -30 });
    tf.tidy(() => {
      expect(tf.max(tf.abs(tf.sub(closed.apply(x), x))).dataSync()[0]).toBeLessThan(1e-6);
    });
    [hw, twin, closed].forEach((m) => m.dispose());
  });

  it('has numerically correct gradients', () => {
    const hw = new Highway({ dim: 4, activation: 'tanh', seed: 4 });
    checkGradients((a) => hw.apply(a), [x]);
    hw.dispose();
  });

  it('leaks no tensors', () => {
    const hw = new Highway({ dim: 4, numLayers: 2 });
    expectNoLeak(() => hw.apply(x));
    hw.dispose();
  });
});
