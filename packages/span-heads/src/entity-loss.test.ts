import * as tf from '@tensorflow/tfjs-core';
import { Rng, checkGradients, expectNoLeak, initBackend, randomTensor } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { entityCrossEntropy } from './index.js';
import { naiveSoftmax } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('entityCrossEntropy', () => {
  const rng = new Rng(1);
  const logits = randomTensor([2, 4, 3], 2, -2, 2) as tf.Tensor3D; // [B, S, C]
  const labelValues = [0, 1].map(() => [0, 1, 2, 3].map(() => rng.int(3)));
  labelValues[1][3] = 7; // a padding entry may hold anything
  const labels = tf.tensor2d(labelValues, undefined, 'int32');
  const maskValues = [[1, 1, 1, 0], [1, 1, 0, 0]];
  const mask = tf.tensor2d(maskValues);

  /** -log softmax(logits)[label] summed over the masked-in spans, and their count. */
  function naive(): { total: number; count: number } {
    const values = logits.arraySync();
    let total = 0;
    let count = 0;
    values.forEach((row, b) =>
      row.forEach((scores, s) => {
        if (!maskValues[b][s]) return;
        total -= Math.log(naiveSoftmax(scores)[labelValues[b][s]]);
        count++;
      }),
    );
    return { total, count };
  }

  it('averages over the real spans (SpERT) or sums them (Dixit), as a naive loop', () => {
    const { total, count } = naive();
    tf.tidy(() => {
      expect(entityCrossEntropy(logits, labels, mask).dataSync()[0]).toBeCloseTo(total / count, 5);
      expect(entityCrossEntropy(logits, labels, mask, 'sum').dataSync()[0]).toBeCloseTo(total, 5);
    });
  });

  it('gives 0 with a 0 gradient when no span is real', () => {
    const none = tf.zeros([2, 4]) as tf.Tensor2D;
    tf.tidy(() => {
      const grad = tf.grad((x: tf.Tensor) => entityCrossEntropy(x as tf.Tensor3D, labels, none))(logits);
      expect(entityCrossEntropy(logits, labels, none).dataSync()[0]).toBe(0);
      expect(tf.max(tf.abs(grad)).dataSync()[0]).toBe(0);
    });
    none.dispose();
  });

  it('has correct gradients, rejects out-of-range labels of real spans, leaks nothing', () => {
    checkGradients((x) => entityCrossEntropy(x as tf.Tensor3D, labels, mask), [logits]);
    const bad = tf.tensor2d([[0, 3, 0, 0], [0, 0, 0, 0]], undefined, 'int32');
    expect(() => entityCrossEntropy(logits, bad, mask)).toThrow(/entityCrossEntropy: a label of a real entry lies outside \[0, 3\)/);
    expect(() => entityCrossEntropy(logits, tf.cast(labels, 'float32') as tf.Tensor2D, mask)).toThrow(/labels must be int32/);
    bad.dispose();
    expectNoLeak(() => entityCrossEntropy(logits, labels, mask));
  });
});
