import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, randomTensor } from '../testing/index.js';
import { stopGradient, withoutGradient } from './stop-gradient.js';

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

describe('withoutGradient', () => {
  const x = randomTensor([2, 3, 4], 2);
  const rowMax = (t: tf.Tensor) => tf.max(t, -1, true);

  it('is compute(x) forward; backward gives x no gradient through it and runs none of its ops', async () => {
    tf.tidy(() => {
      expect(withoutGradient(x, rowMax).arraySync()).toEqual(rowMax(x).arraySync());
      // d/dx sum(x - max(x)) with the max detached is 1 everywhere (with it: 1 - 4 at each row's max).
      const grad = tf.grad((a: tf.Tensor) => tf.sum(tf.sub(a, withoutGradient(a, rowMax))))(x);
      expect(grad.arraySync()).toEqual(tf.onesLike(x).arraySync());
    });
    // The max's gradient would compare x with the max (Equal) and mask dy (Cast, Multiply): none of that runs.
    const info = await tf.profile(() => tf.grad((a: tf.Tensor) => tf.sum(tf.sub(a, withoutGradient(a, rowMax))))(x));
    expect(info.kernelNames).toContain('Max');
    expect(info.kernelNames).not.toContain('Equal');
    tf.dispose(info.result as tf.Tensor);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => tf.grad((a: tf.Tensor) => tf.sum(tf.sub(a, withoutGradient(a, rowMax))))(x));
  });
});
