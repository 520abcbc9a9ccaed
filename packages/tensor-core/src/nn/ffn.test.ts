import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { FeedForward, type FeedForwardConfig } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const relu = (v: number) => Math.max(0, v);

/** Plain-JS MLP over the parameters of a FeedForward (relu between layers, linear output). */
function naiveFfn(layer: FeedForward, v: number[]): number[] {
  const params = layer.parameters();
  let h = v;
  layer.layers.forEach((_, i) => {
    const kernel = params.get(`layers.${i}.kernel`)!.arraySync() as number[][];
    const bias = params.get(`layers.${i}.bias`)!.arraySync() as number[];
    const pre = kernel[0].map((__, o) => h.reduce((acc, hi, j) => acc + hi * kernel[j][o], bias[o]));
    h = i < layer.layers.length - 1 ? pre.map(relu) : pre;
  });
  return h;
}

describe('FeedForward ("ffn.v1")', () => {
  const x = randomTensor([2, 3, 4], 1); // [B, T, in]
  const config: FeedForwardConfig = { inputDim: 4, hiddenDims: [6, 5], outputDim: 3, activation: 'relu', dropout: 0.5, seed: 11 };

  it('is built from its config through the registry and matches a naive loop in eval mode', () => {
    const ffn = registry.build<FeedForward>('ffn.v1', config);
    expect([ffn.inputDim, ffn.outputDim]).toEqual([4, 3]);
    expect([...ffn.parameters().keys()]).toEqual(['layers.0.kernel', 'layers.0.bias', 'layers.1.kernel', 'layers.1.bias', 'layers.2.kernel', 'layers.2.bias']);
    const y = tf.tidy(() => ffn.apply(x, false).arraySync()) as number[][][];
    (x.arraySync() as number[][][]).forEach((xb, b) => xb.forEach((v, t) => naiveFfn(ffn, v).forEach((e, o) => expect(y[b][t][o]).toBeCloseTo(e, 5))));
    ffn.dispose();
  });

  it('rebuilds identically from config(); dropout is seeded and only active when training', () => {
    const ffn = new FeedForward(config);
    const twin = registry.build<FeedForward>(ffn.name, JSON.parse(JSON.stringify(ffn.config())));
    tf.tidy(() => {
      const evalOut = ffn.apply(x, false).arraySync();
      expect(twin.apply(x, false).arraySync()).toEqual(evalOut);
      expect(ffn.apply(x, false).arraySync()).toEqual(evalOut); // eval is deterministic
      const trainA = ffn.apply(x, true).arraySync();
      const trainB = twin.apply(x, true).arraySync();
      expect(trainA).not.toEqual(evalOut);
      expect(trainB).toEqual(trainA); // same seed, same call sequence -> same dropout masks
      expect(ffn.apply(x, true).arraySync()).not.toEqual(trainA); // fresh noise per call
    });
    ffn.dispose();
    twin.dispose();
  });

  it('a single linear layer when hiddenDims is empty; rejects bad configs', () => {
    const linear = new FeedForward({ inputDim: 4, outputDim: 2 });
    expect(linear.layers).toHaveLength(1);
    expect(linear.config()).toMatchObject({ hiddenDims: [], activation: 'relu', outputActivation: 'linear', dropout: 0 });
    linear.dispose();
    expect(() => new FeedForward({ inputDim: 4, outputDim: 2, hiddenDims: [3, -1] })).toThrow('ffn.v1: config.hiddenDims[1] must be a positive integer, got -1');
    expect(() => new FeedForward({ inputDim: 4, outputDim: 2, dropout: 1 })).toThrow(/config.dropout/);
  });

  it('has numerically correct gradients (gelu, tanh output)', () => {
    const ffn = new FeedForward({ inputDim: 4, hiddenDims: [5], outputDim: 2, activation: 'gelu', outputActivation: 'tanh', seed: 2 });
    checkGradients((a) => ffn.apply(a, false), [x]);
    ffn.dispose();
  });

  it('leaks no tensors, training or not', () => {
    const ffn = new FeedForward(config);
    expectNoLeak(() => ffn.apply(x, true));
    expectNoLeak(() => ffn.apply(x, false));
    ffn.dispose();
  });
});
