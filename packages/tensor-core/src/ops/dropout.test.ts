import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { dropout } from './dropout.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dropout', () => {
  const x = randomTensor([20, 50], 71, 0.5, 1.5); // [B, D], no zeros

  it('is the identity when not training or at rate 0', () => {
    expect(dropout(x, 0.3, new Rng(1), false)).toBe(x);
    expect(dropout(x, 0, new Rng(1), true)).toBe(x);
  });

  it('zeroes about `rate` of the entries and scales the rest by 1 / (1 - rate)', () => {
    const rate = 0.25;
    const out = dropout(x, rate, new Rng(2), true);
    const o = out.dataSync();
    const xs = x.dataSync();
    let dropped = 0;
    o.forEach((v, i) => {
      if (v === 0) dropped++;
      else expect(v).toBeCloseTo(xs[i] / (1 - rate), 5);
    });
    expect(dropped / o.length).toBeGreaterThan(0.2);
    expect(dropped / o.length).toBeLessThan(0.3);
    out.dispose();
  });

  it('is reproducible from the seed and differs between calls on one generator', () => {
    tf.tidy(() => {
      const a = dropout(x, 0.5, new Rng(3), true).arraySync();
      const b = dropout(x, 0.5, new Rng(3), true).arraySync();
      expect(a).toEqual(b);
      const rng = new Rng(3);
      const first = dropout(x, 0.5, rng, true).arraySync();
      const second = dropout(x, 0.5, rng, true).arraySync();
      expect(first).not.toEqual(second);
      expect(dropout(x, 0.5, 9, true).arraySync()).toEqual(dropout(x, 0.5, 9, true).arraySync());
    });
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropout(x, 1, 0, true)).toThrow(/rate/);
  });

  it('has numerically correct gradients for a fixed seed', () => {
    checkGradients((a) => dropout(a, 0.4, 5, true), [randomTensor([3, 4], 72)]);
  });

  it('leaks no tensors', () => {
    expectNoLeak(() => dropout(x, 0.5, new Rng(4), true));
  });
});
