import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { clipByGlobalNorm } from './clip-grad-norm.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function randomGrads(rng: Rng, scale: number): { values: Map<string, number[]>; shapes: Map<string, number[]> } {
  const shapes = new Map<string, number[]>([
    ['a.kernel', [3, 4]],
    ['a.bias', [4]],
    ['b', [2, 2, 2]],
  ]);
  const values = new Map<string, number[]>();
  for (const [name, shape] of shapes) {
    const n = shape.reduce((x, y) => x * y, 1);
    values.set(name, Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale));
  }
  return { values, shapes };
}

describe('clipByGlobalNorm', () => {
  for (const [label, scale, maxNorm] of [
    ['clips when the norm exceeds maxNorm', 3, 1],
    ['leaves small gradients unchanged', 0.01, 1],
  ] as const) {
    it(`${label} (against a naive loop)`, () => {
      const { values, shapes } = randomGrads(new Rng(7), scale);
      // naive reference: sqrt of the sum of all squares, PyTorch coefficient
      let sumSq = 0;
      for (const vs of values.values()) for (const x of vs) sumSq += x * x;
      const norm = Math.sqrt(sumSq);
      const coef = Math.min(1, maxNorm / (norm + 1e-6));

      const grads = new Map([...values].map(([n, vs]) => [n, tf.tensor(vs, shapes.get(n))]));
      const before = tf.memory().numTensors;
      const out = clipByGlobalNorm(grads, maxNorm);
      expect(tf.memory().numTensors).toBe(before + grads.size); // only the returned tensors
      expect(out.norm).toBeCloseTo(norm, 5);
      for (const [name, vs] of values) {
        const got = out.grads.get(name)!;
        expect(got.shape).toEqual(shapes.get(name));
        const data = got.dataSync();
        vs.forEach((x, i) => expect(data[i]).toBeCloseTo(x * coef, 6));
      }
      if (scale > 1) {
        let clippedSq = 0;
        for (const g of out.grads.values()) for (const x of g.dataSync()) clippedSq += x * x;
        expect(Math.sqrt(clippedSq)).toBeLessThanOrEqual(maxNorm);
      }
      for (const g of [...grads.values(), ...out.grads.values()]) g.dispose();
      expect(tf.memory().numTensors).toBe(before - grads.size);
    });
  }

  it('uses PyTorch\'s 1e-6 epsilon: norm exactly maxNorm still scales by maxNorm / (norm + 1e-6)', () => {
    const grads = new Map([['g', tf.tensor1d([3, 4])]]); // norm 5
    const out = clipByGlobalNorm(grads, 5);
    expect(out.norm).toBe(5);
    const [x, y] = out.grads.get('g')!.dataSync();
    // float32 arithmetic: the coefficient and the product are each rounded to float32
    const coef = Math.fround(5 / (5 + 1e-6));
    expect(coef).toBeLessThan(1);
    expect(x).toBe(Math.fround(3 * coef));
    expect(y).toBe(Math.fround(4 * coef));
    expect(x).toBeLessThan(3);
    tf.dispose([...grads.values(), ...out.grads.values()]);
  });

  it('reports a non-finite norm on request and rejects a bad maxNorm', () => {
    const grads = new Map([['w', tf.tensor1d([1, Infinity])]]);
    expect(() => clipByGlobalNorm(grads, 1, { errorIfNonfinite: true })).toThrow(/Infinity.*w/);
    expect(() => clipByGlobalNorm(grads, 0)).toThrow(/maxNorm/);
    tf.dispose([...grads.values()]);
  });

  it('returns norm 0 for no gradients', () => {
    expect(clipByGlobalNorm(new Map(), 1)).toEqual({ grads: new Map(), norm: 0 });
  });
});
