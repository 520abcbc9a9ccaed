import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkVariableGradients, randomTensor } from './index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('checkVariableGradients', () => {
  it('accepts correct gradients and restores the variables', () => {
    const w = tf.variable(randomTensor([3, 2], 1));
    const x = randomTensor([4, 3], 2);
    const before = w.arraySync();
    const report = checkVariableGradients(() => tf.sigmoid(tf.matMul(x, w)), [w]);
    expect(report.inputs[0].maxAbsError).toBeLessThan(1e-3);
    expect(w.arraySync()).toEqual(before);
    w.dispose();
    x.dispose();
  });

  it('throws on a wrong gradient and on a variable f does not read', () => {
    const w = tf.variable(randomTensor([3], 3));
    const unused = tf.variable(tf.zeros([2]));
    // Claims d/dw of w^2 is w (half the truth).
    const wrongSquare = tf.customGrad(((a: tf.Tensor, save: tf.GradSaveFunc) => {
      save([a]);
      return { value: tf.square(a), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    expect(() => checkVariableGradients(() => wrongSquare(w) as tf.Tensor, [w])).toThrow(/variable .* element \d+: analytic/);
    expect(() => checkVariableGradients(() => tf.square(w), [w, unused])).toThrow(/does not depend on variable/);
    w.dispose();
    unused.dispose();
  });
});
