import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, distinctRandomTensor, expectNoLeak } from '../testing/index.js';
import { reduceMax } from './reduce-max.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('reduceMax', () => {
  const x = distinctRandomTensor([2, 3, 4], 1, -2, 2); // [B, N, D], no ties

  it('matches a naive loop on every axis, with and without keepDims', () => {
    const xs = x.arraySync() as number[][][];
    tf.tidy(() => {
      const overN = reduceMax(x, 1).arraySync() as number[][];
      overN.forEach((row, b) => row.forEach((v, d) => expect(v).toBe(Math.max(...xs[b].map((r) => r[d])))));
      const overD = reduceMax(x, -1, true);
      expect(overD.shape).toEqual([2, 3, 1]);
      (overD.arraySync() as number[][][]).forEach((rows, b) => rows.forEach(([v], n) => expect(v).toBe(Math.max(...xs[b][n]))));
      expect(reduceMax(x, 0).arraySync()).toEqual(tf.max(x, 0).arraySync());
    });
  });

  it('sends the gradient to the maxima (numerically checked) and shares it on ties', () => {
    checkGradients((a) => reduceMax(a, 1), [x], { eps: 1e-3 });
    const tied = tf.tensor2d([[1, 3, 3], [2, 0, 1]]);
    const grad = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(reduceMax(a, 1)))(tied).arraySync());
    expect(grad).toEqual([[0, 1, 1], [1, 0, 0]]);
    tied.dispose();
  });

  it('leaks no tensors, forward or backward', () => {
    expectNoLeak(() => reduceMax(x, 1));
    expectNoLeak(() => tf.grad((a: tf.Tensor) => tf.sum(reduceMax(a, 1)))(x));
  });
});
