import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fans, glorotNormal, glorotUniform, normalInit, onesInit, zerosInit } from './initializers.js';
import { Rng } from './rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function moments(values: ArrayLike<number>): { mean: number; std: number; maxAbs: number } {
  let sum = 0;
  let maxAbs = 0;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    maxAbs = Math.max(maxAbs, Math.abs(values[i]));
  }
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(sq / values.length), maxAbs };
}

describe('Rng', () => {
  it('resumes exactly from a saved state', () => {
    const rng = new Rng(42);
    for (let i = 0; i < 5; i++) rng.next();
    const saved = rng.getState();
    const expected = [rng.next(), rng.next(), rng.int(1000)];
    const restored = new Rng(7);
    restored.setState(saved);
    expect([restored.next(), restored.next(), restored.int(1000)]).toEqual(expected);
    expect(() => restored.setState(1.5)).toThrow(/integer/);
  });

  it('is reproducible from its seed, and different seeds give different streams', () => {
    const draw = (seed: number) => {
      const r = new Rng(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(draw(123)).toEqual(draw(123));
    expect(draw(123)).not.toEqual(draw(124));
  });

  it('draws uniformly from [0, 1): mean 1/2, variance 1/12, every decile hit about equally', () => {
    const r = new Rng(2024);
    const n = 50_000;
    const xs = Array.from({ length: n }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const { mean, std } = moments(xs);
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
    expect(Math.abs(std ** 2 - 1 / 12)).toBeLessThan(0.002);
    const deciles = new Array(10).fill(0);
    for (const x of xs) deciles[Math.floor(x * 10)]++;
    for (const c of deciles) expect(Math.abs(c - n / 10)).toBeLessThan(0.05 * (n / 10));
  });

  it('int(n) covers exactly 0..n-1', () => {
    const r = new Rng(5);
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(7)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('shuffle permutes in place reproducibly; sample draws distinct items', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const a = new Rng(9).shuffle(items.slice());
    const b = new Rng(9).shuffle(items.slice());
    expect(a).toEqual(b);
    expect(a).not.toEqual(items);
    expect(a.slice().sort((x, y) => x - y)).toEqual(items);

    const s = new Rng(1).sample(items, 10);
    expect(s).toHaveLength(10);
    expect(new Set(s).size).toBe(10);
    for (const x of s) expect(items).toContain(x);
    expect(new Rng(1).sample(items, 100).sort((x, y) => x - y)).toEqual(items);
    expect(new Rng(1).sample(items, 0)).toEqual([]);
    expect(new Rng(1).sample(items, -3)).toEqual([]);
    expect(items).toEqual(Array.from({ length: 30 }, (_, i) => i)); // input untouched
  });

  it('seed() never returns 0, which tfjs random ops treat as "no seed" (Math.random)', () => {
    class ZeroRng extends Rng {
      override next(): number {
        return 0;
      }
    }
    const seed = new ZeroRng(1).seed();
    expect(seed).toBeGreaterThan(0);
    expect(Number.isInteger(seed)).toBe(true);
    const r = new Rng(77);
    for (let i = 0; i < 1000; i++) {
      const s = r.seed();
      expect(s >= 1 && s <= 0x7fffffff && Number.isInteger(s)).toBe(true);
    }
  });
});

describe('fans', () => {
  it('follows the Keras layout [..., in, out]', () => {
    expect(fans([])).toEqual({ fanIn: 1, fanOut: 1 });
    expect(fans([7])).toEqual({ fanIn: 7, fanOut: 7 });
    expect(fans([4, 5])).toEqual({ fanIn: 4, fanOut: 5 });
    expect(fans([3, 4, 5])).toEqual({ fanIn: 12, fanOut: 15 }); // conv1d kernel width 3
  });
});

describe('initializers', () => {
  it('are reproducible from the Rng seed and create exactly one tensor', () => {
    for (const init of [glorotUniform(), glorotNormal(), normalInit(0.02)]) {
      const before = tf.memory().numTensors;
      const a = init([6, 4], new Rng(31));
      expect(tf.memory().numTensors).toBe(before + 1);
      const b = init([6, 4], new Rng(31));
      const c = init([6, 4], new Rng(32));
      expect(a.shape).toEqual([6, 4]);
      expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      expect(Array.from(a.dataSync())).not.toEqual(Array.from(c.dataSync()));
      tf.dispose([a, b, c]);
    }
  });

  it('glorotUniform draws from U(-l, l), l = sqrt(6 / (fan_in + fan_out)): bounded, variance l^2 / 3', () => {
    const t = glorotUniform()([200, 300], new Rng(1));
    const limit = Math.sqrt(6 / 500);
    const { mean, std, maxAbs } = moments(t.dataSync());
    expect(maxAbs).toBeLessThanOrEqual(limit);
    expect(maxAbs).toBeGreaterThan(0.99 * limit);
    expect(Math.abs(mean)).toBeLessThan(0.01 * limit);
    expect(std / (limit / Math.sqrt(3))).toBeCloseTo(1, 1);
    t.dispose();
  });

  it('glorotNormal has std sqrt(2 / (fan_in + fan_out)) after truncation (as Keras / PyTorch xavier_normal)', () => {
    const t = glorotNormal()([200, 300], new Rng(2));
    const target = Math.sqrt(2 / 500);
    const { mean, std, maxAbs } = moments(t.dataSync());
    expect(Math.abs(std / target - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean)).toBeLessThan(0.02 * target);
    // truncated at 2 std of the underlying normal (target / 0.8796)
    expect(maxAbs).toBeLessThanOrEqual((2 * target) / 0.87962566103423978 + 1e-7);
    t.dispose();
  });

  it('normalInit(std) has mean 0 and the given std', () => {
    const t = normalInit(0.02)([100, 400], new Rng(3));
    const { mean, std } = moments(t.dataSync());
    expect(Math.abs(std / 0.02 - 1)).toBeLessThan(0.02);
    expect(Math.abs(mean)).toBeLessThan(0.001);
    t.dispose();
  });

  it('zerosInit / onesInit fill the shape', () => {
    const z = zerosInit()([2, 3], new Rng(0));
    const o = onesInit()([4], new Rng(0));
    expect(z.shape).toEqual([2, 3]);
    expect(Array.from(z.dataSync())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(o.dataSync())).toEqual([1, 1, 1, 1]);
    tf.dispose([z, o]);
  });
});
