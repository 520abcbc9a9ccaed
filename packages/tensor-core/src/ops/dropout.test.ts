import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setFusedKernels } from '../backend/fused-kernels.js';
import { Rng } from '../init/rng.js';
import { checkGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { dropout, dropoutMultiplier } from './dropout.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => setFusedKernels(true));

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

  it("builds tf.dropout's multiplier bit for bit in one pass (fused kernels on), and is tf.dropout with them off", () => {
    tf.tidy(() => {
      for (const [shape, rate, seed] of [
        [[20, 50], 0.1, 11],
        [[3, 4, 5], 0.25, 12],
        [[7, 33], 0.5, 13],
        [[1000], 0.9, 14],
        [[64, 31], 0.2, 2 ** 31 - 5],
      ] as [number[], number, number][]) {
        const a = randomTensor(shape, seed, 0.5, 1.5);
        const reference = tf.dropout(a, rate, undefined, seed).dataSync();
        const multiplier = dropoutMultiplier(shape, rate, seed).dataSync();
        const kept = Array.from(multiplier).filter((m) => m !== 0);
        expect(new Set(kept)).toEqual(new Set([Math.fround(1 / Math.fround(1 - rate))]));
        expect(kept.length / multiplier.length).toBeCloseTo(1 - rate, 1);
        for (const fused of [true, false]) {
          setFusedKernels(fused);
          expect(Array.from(dropout(a, rate, seed, true).dataSync())).toEqual(Array.from(reference));
        }
      }
    });
  });

  it('has the same gradient on both paths', () => {
    const a = randomTensor([6, 9], 73);
    const grads = [true, false].map((fused) => {
      setFusedKernels(fused);
      return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dropout(t, 0.3, 21, true), t)))(a).arraySync();
    });
    expect(grads[0]).toEqual(grads[1]);
  });
});
