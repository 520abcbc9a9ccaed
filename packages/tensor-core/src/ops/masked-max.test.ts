import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, distinctRandomTensor, expectNoLeak, randomMask, randomTensor } from '../testing/index.js';
import { maskedMax } from './masked-max.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS max over axis 2 of x [B, M, N, D] with mask [B, M, N]; 0 when nothing is kept. */
function naiveMaskedMax(x: number[][][][], mask: number[][][]): number[][][] {
  return x.map((xb, b) =>
    xb.map((xbm, m) =>
      Array.from({ length: xbm[0].length }, (_, d) => {
        let best = -Infinity;
        xbm.forEach((row, n) => {
          if (mask[b][m][n] !== 0) best = Math.max(best, row[d]);
        });
        return best === -Infinity ? 0 : best;
      }),
    ),
  );
}

describe('maskedMax', () => {
  const x = randomTensor([2, 3, 4, 5], 1, -3, 3); // [B, M, N, D]
  const mask = randomMask([2, 3, 4], 2, 0.6, [1, 4]); // [B, M, N], rows (0,1) and (1,1) fully masked

  it('matches a naive loop, fully masked rows give the 0 vector', () => {
    const expected = naiveMaskedMax(x.arraySync() as number[][][][], mask.arraySync() as number[][][]);
    const actual = tf.tidy(() => maskedMax(x, mask, 2).arraySync()) as number[][][];
    expect(actual.length).toBe(2);
    actual.flat(2).forEach((v, i) => expect(v).toBeCloseTo(expected.flat(2)[i], 5));
    expect(actual[0][1]).toEqual([0, 0, 0, 0, 0]);
    expect(actual[1][1]).toEqual([0, 0, 0, 0, 0]);
  });

  it('accepts a negative axis, keepDims, a same-rank mask and a bool mask', () => {
    const reference = tf.tidy(() => maskedMax(x, mask, 2).arraySync());
    tf.tidy(() => {
      expect(maskedMax(x, mask, -2).arraySync()).toEqual(reference);
      expect(maskedMax(x, tf.expandDims(mask, -1), 2).arraySync()).toEqual(reference);
      expect(maskedMax(x, tf.cast(mask, 'bool'), 2).arraySync()).toEqual(reference);
      const kept = maskedMax(x, mask, 2, true);
      expect(kept.shape).toEqual([2, 3, 1, 5]);
      expect(tf.squeeze(kept, [2]).arraySync()).toEqual(reference);
    });
  });

  it('takes a per-feature mask of the full shape', () => {
    const fullMask = randomMask([2, 3, 4, 5], 5, 0.4); // [B, M, N, D], some (row, feature) pairs fully masked
    const xs = x.arraySync() as number[][][][];
    const ms = fullMask.arraySync() as number[][][][];
    const actual = tf.tidy(() => maskedMax(x, fullMask, 2).arraySync()) as number[][][];
    actual.forEach((ab, b) =>
      ab.forEach((row, m) =>
        row.forEach((v, d) => {
          const kept = xs[b][m].filter((_, n) => ms[b][m][n][d] !== 0).map((r) => r[d]);
          expect(v).toBeCloseTo(kept.length ? Math.max(...kept) : 0, 5);
        }),
      ),
    );
  });

  it('rejects a mask that does not fit', () => {
    expect(() => maskedMax(x, tf.ones([2, 3]), 2)).toThrow(/maskedMax: mask shape \[2, 3\]/);
  });

  it('has numerically correct gradients, finite and 0 for fully masked rows', () => {
    const distinct = distinctRandomTensor([2, 3, 4, 5], 3, -2, 2); // no near-ties
    checkGradients((a) => maskedMax(a, mask, 2), [distinct, mask], { eps: 1e-3, wrt: [0] });
    const grad = tf.tidy(() => tf.grad((a: tf.Tensor) => tf.sum(maskedMax(a, mask, 2)))(distinct).arraySync()) as number[][][][];
    expect(grad.flat(3).every(Number.isFinite)).toBe(true);
    expect(grad[0][1].flat().every((v) => v === 0)).toBe(true);
    // Exactly one kept entry per (row, feature) receives the gradient.
    const perFeature = grad[0][0].reduce((acc, row) => acc.map((s, d) => s + row[d]), [0, 0, 0, 0, 0]);
    expect(perFeature).toEqual([1, 1, 1, 1, 1]);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => maskedMax(x, mask, 2));
  });
});
