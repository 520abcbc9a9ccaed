import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, randomTensor } from '../testing/index.js';
import { stopGradient } from './stop-gradient.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('stopGradient', () => {
  const x = randomTensor([2, 3], 1);

  it('is the identity forward and blocks the gradient backward', () => {
    tf.tidy(() => {
      expect(stopGradient(x).arraySync()).toEqual(x.arraySync());
      // d/dx [x * stop(x)] = stop(x) = x, not 2x.
      const grad = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, stopGradient(a))))(x);
      expect(grad.arraySync()).toEqual(x.arraySync());
    });
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, stopGradient(a))))(x));
  });
});
