import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../backend/index.js';
import { tidyValues } from './tidy-values.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

it('gives the values tf.tidy(() => build().dataSync()) gives, and frees every tensor it made', () => {
  const x = tf.tensor2d([[-2, 0.5], [3, -1]]);
  const before = tf.memory().numTensors;
  const values = tidyValues(() => tf.add(tf.mul(x, 2), tf.scalar(1))); // 2x + 1
  expect(Array.from(values)).toEqual([-3, 2, 7, -1]);
  expect(tf.memory().numTensors).toBe(before);
  expect(Array.from(tidyValues(() => tf.cast(tf.greater(x, 0), 'int32')))).toEqual([0, 1, 1, 0]);
  expect(tf.memory().numTensors).toBe(before);
  x.dispose();
});

it('frees the intermediates when build throws', () => {
  const before = tf.memory().numTensors;
  expect(() =>
    tidyValues(() => {
      tf.ones([3]);
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(tf.memory().numTensors).toBe(before);
});
