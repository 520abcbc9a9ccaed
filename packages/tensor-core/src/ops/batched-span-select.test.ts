import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { batchedSpanSelect } from './batched-span-select.js';
import { maskedMax } from './masked-max.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS span gather: slot w of span [s, e) holds x[s + w] when s + w < min(e, T) and s + w >= 0. */
function naiveSpanSelect(x: number[][][], spans: number[][][], width: number) {
  const values = spans.map((sb, b) =>
    sb.map(([start, end]) =>
      Array.from({ length: width }, (_, w) => {
        const t = start + w;
        return t < end && t >= 0 && t < x[b].length ? x[b][t] : x[b][0].map(() => 0);
      }),
    ),
  );
  const mask = spans.map((sb, b) => sb.map(([start, end]) => Array.from({ length: width }, (_, w) => (start + w < end && start + w >= 0 && start + w < x[b].length ? 1 : 0))));
  return { values, mask };
}

describe('batchedSpanSelect', () => {
  const x = randomTensor([2, 6, 3], 41) as tf.Tensor3D; // [B, T, D]
  // Spans per sentence: normal, single word, empty/padding (0, 0), reaching past T, and a wide one.
  const spanList = [
    [[1, 3], [5, 6], [0, 0], [4, 9]],
    [[0, 6], [2, 2], [3, 4], [1, 5]],
  ];
  const spans = tf.tensor3d(spanList, undefined, 'int32'); // [B, S=4, 2]

  it('matches a naive loop with W = widest span; out-of-span slots are masked and 0', () => {
    const { values, mask } = batchedSpanSelect(x, spans);
    expect(values.shape).toEqual([2, 4, 6, 3]); // widest span (0, 6) and (4, 9) -> W = max(6, 5) = 6
    const expected = naiveSpanSelect(x.arraySync() as number[][][], spanList, 6);
    expect(mask.arraySync()).toEqual(expected.mask);
    const v = values.arraySync() as number[][][][];
    v.flat(3).forEach((value, i) => expect(value).toBeCloseTo(expected.values.flat(3)[i], 6));
    tf.dispose([values, mask]);
  });

  it('uses a given maxWidth, keeping the first maxWidth words of wider spans', () => {
    const { values, mask } = batchedSpanSelect(x, spans, 2);
    expect(values.shape).toEqual([2, 4, 2, 3]);
    const expected = naiveSpanSelect(x.arraySync() as number[][][], spanList, 2);
    expect(mask.arraySync()).toEqual(expected.mask);
    (values.arraySync() as number[][][][]).flat(3).forEach((value, i) => expect(value).toBeCloseTo(expected.values.flat(3)[i], 6));
    tf.dispose([values, mask]);
  });

  it('gives the 0 vector for an empty span under maskedMax (SpERT span pooling)', () => {
    tf.tidy(() => {
      const { values, mask } = batchedSpanSelect(x, spans);
      const pooled = maskedMax(values, mask, 2).arraySync() as number[][][]; // [B, S, D]
      expect(pooled[0][2]).toEqual([0, 0, 0]);
      const xs = x.arraySync() as number[][][];
      expect(pooled[0][0]).toEqual([0, 1, 2].map((d) => Math.max(xs[0][1][d], xs[0][2][d])));
    });
  });

  it('rejects bad inputs with the op name', () => {
    expect(() => batchedSpanSelect(x, tf.zeros([2, 4, 2]) as tf.Tensor3D)).toThrow(/batchedSpanSelect: spans must be int32/);
    expect(() => batchedSpanSelect(x, tf.zeros([2, 4, 3], 'int32') as tf.Tensor3D)).toThrow(/\[B=2, S, 2\]/);
    expect(() => batchedSpanSelect(x, spans, 0)).toThrow(/maxWidth/);
  });

  it('has numerically correct gradients w.r.t. x', () => {
    checkGradients((a) => batchedSpanSelect(a as tf.Tensor3D, spans).values, [x]);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => batchedSpanSelect(x, spans));
  });
});
