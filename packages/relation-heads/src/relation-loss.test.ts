import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, randomTensor } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { relationBinaryCrossEntropy, relationCrossEntropy } from './index.js';
import { naiveSigmoid, naiveSoftmax } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const rng = new Rng(1);
const maskValues = [[1, 1, 0], [1, 0, 0]];
const mask = tf.tensor2d(maskValues);
const none = tf.zeros([2, 3]) as tf.Tensor2D;

describe('relationBinaryCrossEntropy (SpERT)', () => {
  const logits = randomTensor([2, 3, 4], 2, -6, 6) as tf.Tensor3D; // [B, P, R]
  const targetValues = [0, 1].map(() => [0, 1, 2].map(() => [0, 1, 2, 3].map(() => (rng.next() < 0.3 ? 1 : 0))));
  const targets = tf.tensor3d(targetValues);

  it('averages BCE over the types of a pair, then over the real pairs, as a naive loop', () => {
    const values = logits.arraySync();
    let total = 0;
    let count = 0;
    values.forEach((row, b) =>
      row.forEach((scores, p) => {
        if (!maskValues[b][p]) return;
        const perType = scores.map((x, r) => -(targetValues[b][p][r] ? Math.log(naiveSigmoid(x)) : Math.log(1 - naiveSigmoid(x))));
        total += perType.reduce((a, v) => a + v, 0) / scores.length;
        count++;
      }),
    );
    tf.tidy(() => {
      expect(relationBinaryCrossEntropy(logits, targets, mask).dataSync()[0]).toBeCloseTo(total / count, 5);
      expect(relationBinaryCrossEntropy(logits, targets, mask, 'sum').dataSync()[0]).toBeCloseTo(total, 5);
    });
  });

  it('stays finite for extreme logits, gives 0 without pairs, has correct gradients, leaks nothing', () => {
    tf.tidy(() => {
      const extreme = tf.tensor3d([[[100, -100, 0, 0]], [[-100, 100, 0, 0]]]);
      const loss = relationBinaryCrossEntropy(extreme, tf.tensor3d([[[1, 0, 0, 0]], [[1, 0, 0, 0]]]), tf.ones([2, 1]) as tf.Tensor2D).dataSync()[0];
      expect(loss).toBeCloseTo((0 + (200 + 2 * Math.log(2)) / 4) / 2 + (2 * Math.log(2)) / 4 / 2, 4);
      expect(relationBinaryCrossEntropy(logits, targets, none).dataSync()[0]).toBe(0);
      const grad = tf.grad((x: tf.Tensor) => relationBinaryCrossEntropy(x as tf.Tensor3D, targets, none))(logits);
      expect(tf.max(tf.abs(grad)).dataSync()[0]).toBe(0);
    });
    checkGradients((x) => relationBinaryCrossEntropy(x as tf.Tensor3D, targets, mask), [randomTensor([2, 3, 4], 3)]);
    expectNoLeak(() => relationBinaryCrossEntropy(logits, targets, mask));
    expect(() => relationBinaryCrossEntropy(logits, tf.zeros([2, 3, 3]) as tf.Tensor3D, mask)).toThrow(/targets must have the shape of logits \[2, 3, 4\]/);
  });
});

describe('relationCrossEntropy (Dixit)', () => {
  const logits = randomTensor([2, 3, 3], 4, -2, 2) as tf.Tensor3D; // [B, P, R + 1]
  const labelValues = [[2, 0, 9], [1, 5, 5]]; // padding entries hold anything
  const labels = tf.tensor2d(labelValues, undefined, 'int32');

  it('sums softmax CE over the real pairs (or averages), as a naive loop', () => {
    let total = 0;
    logits.arraySync().forEach((row, b) => row.forEach((scores, p) => (total -= maskValues[b][p] ? Math.log(naiveSoftmax(scores)[labelValues[b][p]]) : 0)));
    tf.tidy(() => {
      expect(relationCrossEntropy(logits, labels, mask).dataSync()[0]).toBeCloseTo(total, 5);
      expect(relationCrossEntropy(logits, labels, mask, 'mean').dataSync()[0]).toBeCloseTo(total / 3, 5);
      expect(relationCrossEntropy(logits, labels, none).dataSync()[0]).toBe(0);
    });
  });

  it('has correct gradients, rejects out-of-range labels of real pairs, leaks nothing', () => {
    checkGradients((x) => relationCrossEntropy(x as tf.Tensor3D, labels, mask), [logits]);
    const bad = tf.tensor2d([[3, 0, 0], [0, 0, 0]], undefined, 'int32');
    expect(() => relationCrossEntropy(logits, bad, mask)).toThrow(/relationCrossEntropy: a label of a real entry lies outside \[0, 3\)/);
    bad.dispose();
    expectNoLeak(() => relationCrossEntropy(logits, labels, mask));
  });
});
