import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectNoLeak, randomMask, randomTensor } from '../testing/index.js';
import { maskedMean } from './masked-mean.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS mean over axis 1 of x [B, N, D] with mask [B, N]; 0 when nothing is kept. */
function naiveMaskedMean(x: number[][][], mask: number[][]): number[][] {
  return x.map((xb, b) =>
    Array.from({ length: xb[0].length }, (_, d) => {
      let total = 0;
      let count = 0;
      xb.forEach((row, n) => {
        if (mask[b][n] !== 0) {
          total += row[d];
          count += 1;
        }
      });
      return count === 0 ? 0 : total / count;
    }),
  );
}

describe('maskedMean', () => {
  const x = randomTensor([3, 5, 4], 11); // [B, N, D]
  const mask = randomMask([3, 5], 12, 0.5, [2]); // [B, N], sentence 2 fully masked

  it('matches a naive loop, a fully masked row gives 0', () => {
    const expected = naiveMaskedMean(x.arraySync() as number[][][], mask.arraySync() as number[][]);
    const actual = tf.tidy(() => maskedMean(x, mask, 1).arraySync()) as number[][];
    actual.flat().forEach((v, i) => expect(v).toBeCloseTo(expected.flat()[i], 5));
    expect(actual[2]).toEqual([0, 0, 0, 0]);
  });

  it('keepDims keeps the reduced axis', () => {
    tf.tidy(() => {
      expect(maskedMean(x, mask, 1, true).shape).toEqual([3, 1, 4]);
    });
  });

  it('has numerically correct, finite gradients', () => {
    checkGradients((a) => maskedMean(a, mask, 1), [x, mask], { wrt: [0] });
    const grad = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(maskedMean(a, mask, 1)))(x).arraySync()) as number[][][];
    expect(grad[2].flat().every((v) => v === 0)).toBe(true);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => maskedMean(x, mask, 1));
  });
});
