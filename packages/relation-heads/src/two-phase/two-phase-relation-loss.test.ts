import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, expectNoLeak, initBackend, randomTensor } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { naiveSigmoid, naiveSoftmax } from '../test-support.js';
import { relationPhaseOneLoss, relationPhaseOneMask, relationPhaseTwoLoss } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('relationPhaseOneLoss / relationPhaseTwoLoss', () => {
  const binary = randomTensor([2, 5, 2], 1, -3, 3) as tf.Tensor3D; // [B, P, 2]
  const types = randomTensor([2, 5, 4], 2, -3, 3) as tf.Tensor3D; // [B, P, R=4]
  const labelValues = [
    [0, 4, 0, 1, 2],
    [3, 0, 0, 9, -2], // the last two are padding: ignored
  ];
  const maskValues = [
    [1, 1, 1, 1, 1],
    [1, 1, 1, 0, 0],
  ];
  const labels = tf.tensor2d(labelValues, undefined, 'int32');
  const pairMask = tf.tensor2d(maskValues);

  afterAll(() => tf.dispose([binary, types, labels, pairMask]));

  it('phase one: binary cross-entropy of (not, relation) against "any type" (Eq. 11), mean or sum over real pairs', () => {
    const z = binary.arraySync();
    let sum = 0;
    let count = 0;
    labelValues.forEach((row, b) =>
      row.forEach((label, p) => {
        if (!maskValues[b][p]) return;
        const y = label > 0 ? [0, 1] : [1, 0];
        sum += y.reduce((acc, yc, c) => acc - (yc * Math.log(naiveSigmoid(z[b][p][c])) + (1 - yc) * Math.log(1 - naiveSigmoid(z[b][p][c]))), 0);
        count++;
      }),
    );
    expect(tf.tidy(() => relationPhaseOneLoss(binary, labels, pairMask).arraySync())).toBeCloseTo(sum / count, 5);
    expect(tf.tidy(() => relationPhaseOneLoss(binary, labels, pairMask, 'sum').arraySync())).toBeCloseTo(sum, 5);
    checkGradients((x) => relationPhaseOneLoss(x as tf.Tensor3D, labels, pairMask), [binary]);
    expectNoLeak(() => relationPhaseOneLoss(binary, labels, pairMask));
    const negative = tf.tensor2d([[0, -1, 0, 0, 0], [0, 0, 0, 0, 0]], undefined, 'int32') as tf.Tensor2D;
    expect(() => relationPhaseOneLoss(binary, negative, pairMask)).toThrow(/relationPhaseOneLoss: a label of a real pair lies outside/);
    negative.dispose();
  });

  it('phase two: softmax cross-entropy over the relation types of the gold relations only (Eq. 15)', () => {
    const t = types.arraySync();
    const terms: number[] = [];
    labelValues.forEach((row, b) =>
      row.forEach((label, p) => {
        if (maskValues[b][p] && label > 0) terms.push(-Math.log(naiveSoftmax(t[b][p])[label - 1]));
      }),
    );
    expect(terms).toHaveLength(4);
    const total = terms.reduce((a, v) => a + v, 0);
    expect(tf.tidy(() => relationPhaseTwoLoss(types, labels, pairMask).arraySync())).toBeCloseTo(total / 4, 5);
    expect(tf.tidy(() => relationPhaseTwoLoss(types, labels, pairMask, 'sum').arraySync())).toBeCloseTo(total, 5);
    const noRelation = tf.zeros([2, 5], 'int32') as tf.Tensor2D;
    expect(tf.tidy(() => relationPhaseTwoLoss(types, noRelation, pairMask).arraySync())).toBe(0);
    checkGradients((x) => relationPhaseTwoLoss(x as tf.Tensor3D, labels, pairMask), [types]);
    expectNoLeak(() => relationPhaseTwoLoss(types, labels, pairMask));
    const tooLarge = tf.tensor2d([[5, 0, 0, 0, 0], [0, 0, 0, 0, 0]], undefined, 'int32') as tf.Tensor2D;
    expect(() => relationPhaseTwoLoss(types, tooLarge, pairMask)).toThrow(/relationPhaseTwoLoss: a label of a real pair lies outside \[0, 4\]/);
    tf.dispose([noRelation, tooLarge]);
  });

  it('relationPhaseOneMask keeps the real pairs with σ(z1 - z0) > threshold', () => {
    const z = binary.arraySync();
    for (const threshold of [0.5, 0.7]) {
      const mask = tf.tidy(() => relationPhaseOneMask(binary, pairMask, threshold).arraySync());
      expect(mask).toEqual(z.map((row, b) => row.map((v, p) => (maskValues[b][p] && naiveSigmoid(v[1] - v[0]) > threshold ? 1 : 0))));
    }
    expectNoLeak(() => relationPhaseOneMask(binary, pairMask));
    expect(() => relationPhaseOneMask(types, pairMask)).toThrow(/binaryLogits must be \[B, P, 2\]/);
  });
});
