import * as tf from '@tensorflow/tfjs-core';
import { Rng, expectNoLeak, initBackend } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterSpans } from './index.js';
import { naiveSoftmax } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('filterSpans', () => {
  it('keeps the real spans whose argmax is not none, as a naive loop does', () => {
    const rng = new Rng(1);
    const logits = Array.from({ length: 3 }, () => Array.from({ length: 9 }, () => Array.from({ length: 4 }, () => rng.next() * 4 - 2))); // [B, S, C]
    const mask = [[1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]];
    const [logitsTensor, maskTensor] = [tf.tensor3d(logits), tf.tensor2d(mask)];
    const kept = filterSpans(logitsTensor, maskTensor);
    tf.dispose([logitsTensor, maskTensor]);
    logits.forEach((row, b) => {
      const expected = row.flatMap((scores, s) => {
        const best = scores.indexOf(Math.max(...scores));
        return mask[b][s] && best !== 0 ? [{ s, best, p: naiveSoftmax(scores)[best] }] : [];
      });
      expect(kept.indices[b]).toEqual(expected.map((e) => e.s));
      expect(kept.classes[b]).toEqual(expected.map((e) => e.best));
      kept.scores[b].forEach((p, k) => expect(p).toBeCloseTo(expected[k].p, 6));
    });
    expect(kept.indices[0].length).toBeGreaterThan(0);
    expect(kept.indices[2]).toEqual([]);
  });

  it('drops a span whose best type ties with none, and leaks nothing', () => {
    const logits = tf.tensor3d([[[1, 1, 0], [0, 2, 2], [3, 0, 0]]]); // tie with none, tie of two types, none wins
    const mask = tf.ones([1, 3]) as tf.Tensor2D;
    expectNoLeak(() => {
      expect(filterSpans(logits, mask)).toEqual({ indices: [[1]], classes: [[1]], scores: [[expect.any(Number)]] });
    });
    expect(() => filterSpans(logits, tf.ones([1, 2]) as tf.Tensor2D)).toThrow(/filterSpans: spanMask must be \[B=1, S=3\], got \[1, 2\]/);
    tf.dispose([logits, mask]);
  });
});
