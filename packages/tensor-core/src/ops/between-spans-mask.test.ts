import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { expectNoLeak } from '../testing/index.js';
import { betweenSpanBoundsMask, betweenSpansMask } from './between-spans-mask.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain-JS context as in SpERT's reference code: the words after the earlier span and before the later one. */
function naiveBetween(a: number[], b: number[], seqLen: number): number[] {
  const [first, second] = a[0] <= b[0] ? [a, b] : [b, a];
  const overlap = a[0] < b[1] && b[0] < a[1];
  return Array.from({ length: seqLen }, (_, t) => (!overlap && t >= first[1] && t < second[0] ? 1 : 0));
}

describe('betweenSpansMask', () => {
  const seqLen = 9;

  it('handles ordered, reversed, adjacent, overlapping and nested pairs', () => {
    const spans = tf.tensor3d([[[0, 2], [4, 5], [2, 4], [1, 3], [0, 9]]], undefined, 'int32'); // [B=1, S=5, 2]
    const pairs = tf.tensor3d([[[0, 1], [1, 0], [0, 2], [0, 3], [4, 1], [1, 1]]], undefined, 'int32'); // [B, P=6, 2]
    const mask = betweenSpansMask(spans, pairs, seqLen).arraySync();
    expect(mask[0][0]).toEqual([0, 0, 1, 1, 0, 0, 0, 0, 0]); // (0,2) .. (4,5): words 2, 3
    expect(mask[0][1]).toEqual(mask[0][0]); // reversed pair: same context
    expect(mask[0][2].every((v) => v === 0)).toBe(true); // adjacent (0,2) (2,4)
    expect(mask[0][3].every((v) => v === 0)).toBe(true); // overlapping (0,2) (1,3)
    expect(mask[0][4].every((v) => v === 0)).toBe(true); // nested (0,9) (4,5)
    expect(mask[0][5].every((v) => v === 0)).toBe(true); // a span with itself
    tf.dispose([spans, pairs]);
  });

  it('matches a naive loop on random spans and pairs', () => {
    const rng = new Rng(61);
    const randomSpan = () => {
      const start = rng.int(seqLen);
      return [start, start + 1 + rng.int(Math.min(3, seqLen - start))];
    };
    const spanList = [0, 1].map(() => Array.from({ length: 6 }, randomSpan)); // [B=2, S=6, 2]
    const pairList = [0, 1].map(() => Array.from({ length: 10 }, () => [rng.int(6), rng.int(6)])); // [B, P=10, 2]
    tf.tidy(() => {
      const mask = betweenSpansMask(tf.tensor3d(spanList, undefined, 'int32'), tf.tensor3d(pairList, undefined, 'int32'), seqLen).arraySync();
      pairList.forEach((pb, b) => pb.forEach(([i, j], p) => expect(mask[b][p]).toEqual(naiveBetween(spanList[b][i], spanList[b][j], seqLen))));
    });
  });

  it('works from the two spans directly', () => {
    tf.tidy(() => {
      const head = tf.tensor3d([[[0, 1], [2, 3]]], undefined, 'int32');
      const tail = tf.tensor3d([[[3, 5], [0, 2]]], undefined, 'int32');
      expect(betweenSpanBoundsMask(head, tail, 6).arraySync()).toEqual([[[0, 1, 1, 0, 0, 0], [0, 0, 0, 0, 0, 0]]]);
    });
  });

  it('rejects float pairs', () => {
    const spans = tf.zeros([1, 2, 2], 'int32') as tf.Tensor3D;
    expect(() => betweenSpansMask(spans, tf.zeros([1, 2, 2]) as tf.Tensor3D, 4)).toThrow(/betweenSpansMask: pairs must be int32/);
  });

  it('leaks no tensors', () => {
    const spans = tf.tensor3d([[[0, 2], [4, 5]]], undefined, 'int32');
    const pairs = tf.tensor3d([[[0, 1]]], undefined, 'int32');
    expectNoLeak(() => betweenSpansMask(spans, pairs, seqLen));
  });
});
