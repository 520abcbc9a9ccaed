import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectNoLeak, randomIntTensor, randomTensor } from '../testing/index.js';
import { batchedIndexSelect, flattenAndBatchShiftIndices } from './batched-index-select.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batchedIndexSelect', () => {
  const x = randomTensor([3, 5, 4], 31); // [B, T, D]
  const indices = randomIntTensor([3, 2, 6], 5, 32); // [B, 2, 6] with repeats

  it('matches a naive loop for [B, ...I] indices', () => {
    const xs = x.arraySync() as number[][][];
    const is = indices.arraySync() as number[][][];
    const actual = tf.tidy(() => batchedIndexSelect(x, indices).arraySync()) as number[][][][];
    expect([actual.length, actual[0].length, actual[0][0].length, actual[0][0][0].length]).toEqual([3, 2, 6, 4]);
    is.forEach((ib, b) => ib.forEach((row, i) => row.forEach((t, j) => expect(actual[b][i][j]).toEqual(xs[b][t]))));
  });

  it('selects one position per sentence with [B] indices, and works on int32 x', () => {
    tf.tidy(() => {
      const picked = batchedIndexSelect(x, tf.tensor1d([4, 0, 2], 'int32')).arraySync() as number[][];
      const xs = x.arraySync() as number[][][];
      expect(picked).toEqual([xs[0][4], xs[1][0], xs[2][2]]);
      const ints = tf.tensor3d([[[1, 2], [3, 4]], [[5, 6], [7, 8]]], undefined, 'int32'); // [B, T, 2]
      expect(batchedIndexSelect(ints, tf.tensor2d([[1], [0]], undefined, 'int32')).arraySync()).toEqual([[[3, 4]], [[5, 6]]]);
    });
  });

  it('shifts indices by b * T', () => {
    tf.tidy(() => {
      expect(flattenAndBatchShiftIndices(tf.tensor2d([[0, 2], [1, 1]], undefined, 'int32'), 3).arraySync()).toEqual([0, 2, 4, 4]);
    });
  });

  it('rejects float indices and a batch mismatch', () => {
    expect(() => batchedIndexSelect(x, tf.zeros([3, 2]))).toThrow(/int32/);
    expect(() => batchedIndexSelect(x, tf.zeros([2, 2], 'int32'))).toThrow(/batch size 3/);
  });

  it('has numerically correct gradients (repeated indices accumulate)', () => {
    checkGradients((a) => batchedIndexSelect(a, indices), [x, indices]);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => batchedIndexSelect(x, indices));
  });
});
