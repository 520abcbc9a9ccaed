import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCpuPatched, patchCpuForTraining } from './index.js';
import { intTensor, maxAbsDiff, randomTensor, rowCopyCases, snapshotsOf, type Snapshot } from './test-support.js';


const cases: Record<string, () => Snapshot> = {
  'segment sum, ids in and out of range': () =>
    snapshotsOf(() => tf.unsortedSegmentSum(randomTensor([10, 3, 2], 1), intTensor([10], -1, 7, 2) as tf.Tensor1D, 5))[0],
  'segment sum of int32 values': () =>
    snapshotsOf(() => tf.unsortedSegmentSum(intTensor([9, 4], -5, 5, 3), intTensor([9], 0, 3, 4) as tf.Tensor1D, 3))[0],
  'gather gradient, axis 0 (embedding)': () =>
    snapshotsOf(() => {
      const ids = intTensor([4, 5], 0, 30, 5);
      const w = randomTensor([4, 5, 6], 6);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), w)))(randomTensor([30, 6], 7));
    })[0],
  'gather gradient, axis 1, batchDims 1': () =>
    snapshotsOf(() => {
      const ids = intTensor([3, 4], 0, 8, 8);
      const w = randomTensor([3, 4, 5], 9);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids, 1, 1), w)))(randomTensor([3, 8, 5], 10));
    })[0],
};

const rowCopy = rowCopyCases();
const stock = new Map<string, Snapshot>();
const stockRowCopy = new Map<string, Snapshot[]>();

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(isCpuPatched()).toBe(false); // fresh process per test file: these are the stock kernels
  for (const [name, run] of Object.entries(cases)) stock.set(name, run());
  for (const [name, run] of Object.entries(rowCopy)) stockRowCopy.set(name, run());
  expect(patchCpuForTraining()).toContain('UnsortedSegmentSum');
});

describe('patchCpuForTraining', () => {
  for (const [name, run] of Object.entries(cases)) {
    it(`matches the stock cpu kernel: ${name}`, () => {
      const actual = run();
      expect(actual.shape).toEqual(stock.get(name)!.shape);
      expect(maxAbsDiff(actual.values, stock.get(name)!.values)).toBeLessThan(1e-4);
    });
  }

  for (const [name, run] of Object.entries(rowCopy)) {
    it(`matches the stock cpu kernel exactly: ${name}`, () => {
      const actual = run();
      const expected = stockRowCopy.get(name)!;
      expect(actual.length).toBe(expected.length);
      actual.forEach((a, i) => {
        expect(a.shape).toEqual(expected[i].shape);
        expect(maxAbsDiff(a.values, expected[i].values)).toBe(0);
      });
    });
  }

  it('matches a naive accumulation loop', () => {
    const x = randomTensor([7, 4], 20);
    const ids = intTensor([7], -2, 6, 21);
    const out = tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 4);
    const xs = x.dataSync();
    const is = ids.dataSync();
    const expected = new Float32Array(16);
    for (let r = 0; r < 7; r++) if (is[r] >= 0 && is[r] < 4) for (let j = 0; j < 4; j++) expected[is[r] * 4 + j] += xs[r * 4 + j];
    expect(maxAbsDiff(out.dataSync(), expected)).toBeLessThan(1e-6);
    tf.dispose([x, ids, out]);
  });

  it('is idempotent and keeps memory flat', () => {
    expect(patchCpuForTraining()).toEqual([]);
    cases['gather gradient, axis 0 (embedding)']();
    const before = tf.memory().numTensors;
    cases['gather gradient, axis 0 (embedding)']();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes the embedding gradient of 240 tokens over 5,000 words in well under a second (stock: ~22 s)', () => {
    const table = tf.variable(tf.zeros([5000, 100]));
    const ids = intTensor([8, 30], 0, 5000, 30);
    const t0 = performance.now();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids)))(table);
    const values = g.dataSync();
    expect(performance.now() - t0).toBeLessThan(1000);
    // Every looked-up row gets one per occurrence, so the total is 240 tokens x 100 dims.
    expect(Array.from(values).reduce((a, b) => a + b, 0)).toBeCloseTo(240 * 100, 3);
    tf.dispose([table, ids, g]);
  });
});
