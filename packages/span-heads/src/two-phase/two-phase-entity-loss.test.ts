import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, expectNoLeak, initBackend, randomTensor } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { naiveSoftmax } from '../test-support.js';
import { entityPhaseOneLoss, entityPhaseTwoLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

describe('entityPhaseOneLoss / entityPhaseTwoLoss', () => {
  const binary = randomTensor([2, 4, 2], 1, -3, 3) as tf.Tensor3D; // [B, S, 2]
  const types = randomTensor([2, 4, 3], 2, -3, 3) as tf.Tensor3D; // [B, S, T=3]
  const labelValues = [
    [0, 2, 3, 1],
    [1, 0, 7, -4], // the last two are padding: any value is ignored
  ];
  const labels = tf.tensor2d(labelValues, undefined, 'int32');
  const maskValues = [
    [1, 1, 1, 1],
    [1, 1, 0, 0],
  ];
  const spanMask = tf.tensor2d(maskValues);

  /** Eq. 11 in plain JS: per span, the sum over (not, entity) of -[y log σ(x) + (1 - y) log(1 - σ(x))]. */
  function naivePhaseOne(): { sum: number; count: number } {
    const z = binary.arraySync();
    let sum = 0;
    let count = 0;
    labelValues.forEach((row, b) =>
      row.forEach((label, s) => {
        if (!maskValues[b][s]) return;
        const y = label > 0 ? [0, 1] : [1, 0];
        sum += y.reduce((acc, yc, c) => acc - (yc * Math.log(sigmoid(z[b][s][c])) + (1 - yc) * Math.log(1 - sigmoid(z[b][s][c]))), 0);
        count++;
      }),
    );
    return { sum, count };
  }

  it('phase one: binary cross-entropy of (not, entity) against "any type", mean or sum over real spans', () => {
    const { sum, count } = naivePhaseOne();
    expect(tf.tidy(() => entityPhaseOneLoss(binary, labels, spanMask).arraySync())).toBeCloseTo(sum / count, 5);
    expect(tf.tidy(() => entityPhaseOneLoss(binary, labels, spanMask, 'sum').arraySync())).toBeCloseTo(sum, 5);
    const none = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(tf.tidy(() => entityPhaseOneLoss(binary, labels, none).arraySync())).toBe(0);
    checkGradients((x) => entityPhaseOneLoss(x as tf.Tensor3D, labels, spanMask), [binary]);
    expectNoLeak(() => entityPhaseOneLoss(binary, labels, spanMask));
    const negative = tf.tensor2d([[0, -1, 0, 0], [0, 0, 0, 0]], undefined, 'int32');
    expect(() => entityPhaseOneLoss(binary, negative as tf.Tensor2D, spanMask)).toThrow(/entityPhaseOneLoss: a label of a real span is negative/);
    expect(() => entityPhaseOneLoss(types, labels, spanMask)).toThrow(/binaryLogits must be \[B, S, 2\]/);
    tf.dispose([none, negative]);
  });

  it('phase two: softmax cross-entropy over the types of the gold entities only', () => {
    const t = types.arraySync();
    const terms: number[] = [];
    labelValues.forEach((row, b) =>
      row.forEach((label, s) => {
        if (maskValues[b][s] && label > 0) terms.push(-Math.log(naiveSoftmax(t[b][s])[label - 1]));
      }),
    );
    expect(terms).toHaveLength(4);
    const total = terms.reduce((a, v) => a + v, 0);
    expect(tf.tidy(() => entityPhaseTwoLoss(types, labels, spanMask).arraySync())).toBeCloseTo(total / terms.length, 5);
    expect(tf.tidy(() => entityPhaseTwoLoss(types, labels, spanMask, 'sum').arraySync())).toBeCloseTo(total, 5);
    const noEntity = tf.zeros([2, 4], 'int32') as tf.Tensor2D;
    expect(tf.tidy(() => entityPhaseTwoLoss(types, noEntity, spanMask).arraySync())).toBe(0);
    checkGradients((x) => entityPhaseTwoLoss(x as tf.Tensor3D, labels, spanMask), [types]);
    expectNoLeak(() => entityPhaseTwoLoss(types, labels, spanMask));
    const tooLarge = tf.tensor2d([[0, 4, 0, 0], [0, 0, 0, 0]], undefined, 'int32');
    expect(() => entityPhaseTwoLoss(types, tooLarge as tf.Tensor2D, spanMask)).toThrow(/entityPhaseTwoLoss: a label of a real span lies outside \[0, 3\]/);
    expect(() => entityPhaseTwoLoss(types, tf.zeros([2, 3], 'int32') as tf.Tensor2D, spanMask)).toThrow(/labels must be int32 \[B=2, S=4\]/);
    tf.dispose([noEntity, tooLarge]);
  });
});
