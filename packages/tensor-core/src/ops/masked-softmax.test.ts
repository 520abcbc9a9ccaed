import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectNoLeak, randomMask, randomTensor } from '../testing/index.js';
import { maskedSoftmax } from './masked-softmax.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS softmax of each row over the kept entries; all 0 for a fully masked row. */
function naiveMaskedSoftmaxRow(logits: number[], mask: number[]): number[] {
  const kept = logits.filter((_, i) => mask[i] !== 0);
  if (kept.length === 0) return logits.map(() => 0);
  const top = Math.max(...kept);
  const exps = logits.map((v, i) => (mask[i] !== 0 ? Math.exp(v - top) : 0));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / total);
}

describe('maskedSoftmax', () => {
  const logits = randomTensor([2, 3, 6], 21, -4, 4); // [B, Tq, Tk]
  const mask = randomMask([2, 3, 6], 22, 0.6, [1, 5]); // [B, Tq, Tk], rows (0,1) and (1,2) fully masked

  it('matches a naive loop; fully masked rows give all-0 weights', () => {
    const l = logits.arraySync() as number[][][];
    const m = mask.arraySync() as number[][][];
    const actual = tf.tidy(() => maskedSoftmax(logits, mask).arraySync()) as number[][][];
    actual.forEach((ab, b) =>
      ab.forEach((row, q) => {
        const expected = naiveMaskedSoftmaxRow(l[b][q], m[b][q]);
        row.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 6));
      }),
    );
    expect(actual[0][1]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(actual[1][2]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('broadcasts a [B, 1, Tk] key mask and works on another axis', () => {
    const keyMask = tf.tensor3d([[[1, 1, 0, 1, 0, 0]], [[0, 0, 0, 0, 0, 0]]]); // [B, 1, Tk]
    tf.tidy(() => {
      const weights = maskedSoftmax(logits, keyMask).arraySync() as number[][][];
      const l = logits.arraySync() as number[][][];
      const km = keyMask.arraySync() as number[][][];
      weights.forEach((wb, b) => wb.forEach((row, q) => row.forEach((v, k) => expect(v).toBeCloseTo(naiveMaskedSoftmaxRow(l[b][q], km[b][0])[k], 6))));
      // axis 1: softmax down the columns equals the transposed last-axis softmax
      const down = maskedSoftmax(logits, mask, 1);
      const across = tf.transpose(maskedSoftmax(tf.transpose(logits, [0, 2, 1]), tf.transpose(mask, [0, 2, 1])), [0, 2, 1]);
      expect(tf.max(tf.abs(tf.sub(down, across))).dataSync()[0]).toBeLessThan(1e-6);
    });
  });

  it('ignores masked logits of any finite size', () => {
    tf.tidy(() => {
      const wild = tf.tensor2d([[1, -3e38, 2, 1e30], [1e30, -1e30, 5, 7]]); // [2, 4]
      const m = tf.tensor2d([[1, 0, 1, 0], [0, 0, 0, 0]]);
      const w = maskedSoftmax(wild, m).arraySync() as number[][];
      const e = naiveMaskedSoftmaxRow([1, 0, 2, 0], [1, 0, 1, 0]);
      w[0].forEach((v, i) => expect(v).toBeCloseTo(e[i], 6));
      expect(w[1]).toEqual([0, 0, 0, 0]);
    });
  });

  it('has numerically correct gradients, finite (0) for fully masked rows', () => {
    checkGradients((a) => maskedSoftmax(a, mask), [logits, mask], { wrt: [0] });
    const grad = tf.tidy(() =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(maskedSoftmax(a, mask), randomTensor([2, 3, 6], 5))))(logits).arraySync(),
    ) as number[][][];
    expect(grad.flat(2).every(Number.isFinite)).toBe(true);
    expect(grad[0][1].every((v) => v === 0)).toBe(true); // +0 or -0
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => maskedSoftmax(logits, mask));
  });
});
