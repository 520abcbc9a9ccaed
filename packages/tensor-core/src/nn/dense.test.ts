import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/registry.js';
import { checkGradients, checkVariableGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { Dense } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS `v · W + b`. */
function linear(v: number[], kernel: number[][], bias: number[] | null): number[] {
  return kernel[0].map((_, o) => v.reduce((acc, vi, i) => acc + vi * kernel[i][o], bias ? bias[o] : 0));
}

describe('Dense ("dense.v1")', () => {
  const x = randomTensor([2, 3, 4], 1); // [B, T, in]

  it('is built from its config through the registry and matches a naive loop', () => {
    const layer = registry.build<Dense>('dense.v1', { inputDim: 4, outputDim: 5, activation: 'tanh', seed: 7 });
    expect([layer.inputDim, layer.outputDim]).toEqual([4, 5]);
    expect([...layer.parameters().keys()]).toEqual(['kernel', 'bias']);
    const kernel = layer.kernel.arraySync() as number[][];
    const bias = new Array(5).fill(0);
    const y = tf.tidy(() => layer.apply(x).arraySync()) as number[][][];
    (x.arraySync() as number[][][]).forEach((xb, b) =>
      xb.forEach((v, t) => linear(v, kernel, bias).forEach((e, o) => expect(y[b][t][o]).toBeCloseTo(Math.tanh(e), 5))),
    );
    layer.dispose();
  });

  it('rebuilds identically from config(), which is plain JSON; another seed gives other weights', () => {
    const layer = new Dense({ inputDim: 4, outputDim: 3, biasInit: 0.5, kernelInit: 'normal', initStd: 0.1, seed: 3 });
    const config = JSON.parse(JSON.stringify(layer.config()));
    expect(config).toEqual({ inputDim: 4, outputDim: 3, activation: 'linear', useBias: true, kernelInit: 'normal', initStd: 0.1, biasInit: 0.5, seed: 3 });
    const twin = registry.build<Dense>(layer.name, config);
    expect(twin.kernel.arraySync()).toEqual(layer.kernel.arraySync());
    expect(twin.bias?.arraySync()).toEqual([0.5, 0.5, 0.5]);
    const other = new Dense({ ...config, seed: 4 });
    expect(other.kernel.arraySync()).not.toEqual(layer.kernel.arraySync());
    [layer, twin, other].forEach((m) => m.dispose());
  });

  it('has no bias when useBias is false', () => {
    const layer = new Dense({ inputDim: 4, outputDim: 2, useBias: false });
    expect([...layer.parameters().keys()]).toEqual(['kernel']);
    const kernel = layer.kernel.arraySync() as number[][];
    const y = tf.tidy(() => layer.apply(x).arraySync()) as number[][][];
    expect(y[1][2][1]).toBeCloseTo(linear((x.arraySync() as number[][][])[1][2], kernel, null)[1], 5);
    layer.dispose();
  });

  it('rejects a bad config or input with the module and field name', () => {
    expect(() => new Dense({ inputDim: 0, outputDim: 2 })).toThrow('dense.v1: config.inputDim must be a positive integer, got 0');
    expect(() => new Dense({ inputDim: 2, outputDim: 2, activation: 'swish' as never })).toThrow(/config.activation/);
    expect(() => new Dense({ inputDim: 2, outputDim: 2, kernelInit: 'he' as never })).toThrow(/config.kernelInit/);
    const layer = new Dense({ inputDim: 3, outputDim: 2 });
    expect(() => layer.apply(x)).toThrow(/dense.v1: input has shape \[2, 3, 4\], its last axis must be config.inputDim = 3/);
    layer.dispose();
  });

  it('has numerically correct gradients w.r.t. input and kernel', () => {
    const layer = new Dense({ inputDim: 4, outputDim: 3, activation: 'gelu', seed: 1 });
    checkGradients((a) => layer.apply(a), [x]);
    const before = layer.kernel.arraySync();
    checkVariableGradients(() => layer.apply(x), [layer.kernel, layer.bias!]);
    expect(layer.kernel.arraySync()).toEqual(before); // restored after probing
    layer.dispose();
  });

  it('leaks no tensors', () => {
    const layer = new Dense({ inputDim: 4, outputDim: 3, activation: 'relu' });
    expectNoLeak(() => layer.apply(x));
    layer.dispose();
  });
});
