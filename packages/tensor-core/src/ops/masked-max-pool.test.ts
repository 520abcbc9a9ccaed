import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { setFusedKernels, useFusedKernel } from '../backend/fused-kernels.js';
import { MASKED_MAX_POOL, RANGE_MAX_POOL } from '../backend/kernels/masked-max-pool-kernels.js';
import { Rng } from '../init/index.js';
import { expectNoLeak, randomMask, randomTensor } from '../testing/index.js';
import { maskedMaxPool, spanMaxPool } from './masked-max-pool.js';

/** Plain-JS max over the kept words of each row: x [B][T][D], keep(b, n, t); 0 when none is kept. */
function naivePool(x: number[][][], rows: number, keep: (b: number, n: number, t: number) => boolean): number[][][] {
  return x.map((xb, b) =>
    Array.from({ length: rows }, (_, n) =>
      Array.from({ length: xb[0].length }, (_, d) => {
        let best = -Infinity;
        xb.forEach((word, t) => {
          if (keep(b, n, t)) best = Math.max(best, word[d]);
        });
        return best === -Infinity ? 0 : best;
      }),
    ),
  );
}

/** Output and gradient of `sum(f(x) * w)` w.r.t. x, with the fused kernels on or off. */
function valueAndGrad(fused: boolean, f: (x: tf.Tensor3D) => tf.Tensor3D, x: tf.Tensor3D, seed: number) {
  setFusedKernels(fused);
  return tf.tidy(() => {
    const out = f(x);
    const w = randomTensor(out.shape, seed);
    const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(f(input as tf.Tensor3D), w)))(x);
    return { out: out.arraySync() as number[][][], dx: dx.dataSync().slice() };
  });
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Random spans [start, end) including empty, padding (0, 0), negative starts and ends past T. */
function randomSpans(batch: number, count: number, seqLen: number, seed: number): number[][][] {
  const rng = new Rng(seed);
  return Array.from({ length: batch }, () =>
    Array.from({ length: count }, (_, i) => {
      if (i === 0) return [0, 0];
      const start = rng.int(seqLen + 2) - 1; // -1 .. T
      return [start, start + rng.int(6)]; // width 0 .. 5, may run past T
    }),
  );
}

afterEach(() => setFusedKernels(true));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`maskedMaxPool / spanMaxPool on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('has the fused kernels registered (so the fused path is what is tested)', () => {
      expect(useFusedKernel(MASKED_MAX_POOL)).toBe(true);
      expect(useFusedKernel(RANGE_MAX_POOL)).toBe(true);
      setFusedKernels(false);
      expect(useFusedKernel(MASKED_MAX_POOL)).toBe(false);
    });

    it('maskedMaxPool: a naive loop, fully masked rows -> 0, and the op-by-op path bit for bit (gradients to 1e-6)', () => {
      const x = randomTensor([2, 7, 5], 1, -3, 3) as tf.Tensor3D; // [B, T, D]
      const mask = randomMask([2, 4, 7], 2, 0.5, [1, 6]) as tf.Tensor3D; // [B, N, T]; rows (0,1), (1,2) fully masked
      const maskValues = mask.arraySync() as number[][][];
      const expected = naivePool(x.arraySync() as number[][][], 4, (b, n, t) => maskValues[b][n][t] !== 0);
      const fused = valueAndGrad(true, (input) => maskedMaxPool(input, mask), x, 3);
      const opByOp = valueAndGrad(false, (input) => maskedMaxPool(input, mask), x, 3);
      expect(fused.out).toEqual(expected);
      expect(opByOp.out).toEqual(expected);
      expect(maxAbs(fused.dx, opByOp.dx)).toBeLessThan(1e-6);
      expect(maxAbs(fused.dx, new Float32Array(fused.dx.length))).toBeGreaterThan(0); // a gradient flows
      tf.dispose([x, mask]);
    });

    it('maskedMaxPool: ties each get the full gradient, as maskedMax gives them; bool and int masks work', () => {
      const x = tf.tensor3d([[[1, 2], [1, 0], [0, 2]]]); // [1, T=3, D=2]: ties in both columns
      const mask = tf.tensor3d([[[1, 1, 1]]], undefined, 'bool'); // [1, N=1, T]
      const fused = valueAndGrad(true, (input) => maskedMaxPool(input, mask), x, 4);
      const opByOp = valueAndGrad(false, (input) => maskedMaxPool(input, mask), x, 4);
      expect(fused.out).toEqual([[[1, 2]]]);
      expect(maxAbs(fused.dx, opByOp.dx)).toBeLessThan(1e-7);
      const intMask = tf.tensor3d([[[0, 3, 0]]], undefined, 'int32');
      expect(tf.tidy(() => maskedMaxPool(x, intMask).arraySync())).toEqual([[[1, 0]]]);
      tf.dispose([x, mask, intMask]);
    });

    it('spanMaxPool: a naive loop over [start, min(end, start + maxWidth)) inside [0, T), and the op-by-op path', () => {
      const seqLen = 9;
      const x = randomTensor([3, seqLen, 6], 5, -2, 2) as tf.Tensor3D;
      const spanValues = randomSpans(3, 12, seqLen, 6);
      const spans = tf.tensor3d(spanValues, undefined, 'int32');
      for (const maxWidth of [undefined, 3]) {
        const keep = (b: number, n: number, t: number) => {
          const [start, end] = spanValues[b][n];
          return t >= start && t < end && (maxWidth === undefined || t < start + maxWidth);
        };
        const expected = naivePool(x.arraySync() as number[][][], 12, keep);
        const fused = valueAndGrad(true, (input) => spanMaxPool(input, spans, maxWidth), x, 7);
        const opByOp = valueAndGrad(false, (input) => spanMaxPool(input, spans, maxWidth), x, 7);
        expect(fused.out).toEqual(expected);
        expect(opByOp.out).toEqual(expected);
        expect(maxAbs(fused.dx, opByOp.dx)).toBeLessThan(1e-6);
      }
      tf.dispose([x, spans]);
    });

    it('frees everything it makes, forward and backward', () => {
      const x = randomTensor([2, 5, 3], 8) as tf.Tensor3D;
      const mask = randomMask([2, 3, 5], 9) as tf.Tensor3D;
      const spans = tf.tensor3d(randomSpans(2, 4, 5, 10), undefined, 'int32');
      expectNoLeak(() => maskedMaxPool(x, mask));
      expectNoLeak(() => spanMaxPool(x, spans, 2));
      expectNoLeak(() => tf.grad((input: tf.Tensor) => tf.sum(maskedMaxPool(input as tf.Tensor3D, mask)))(x));
      expectNoLeak(() => tf.grad((input: tf.Tensor) => tf.sum(spanMaxPool(input as tf.Tensor3D, spans)))(x));
      tf.dispose([x, mask, spans]);
    });

    it('says which shapes it needs', () => {
      const x = tf.zeros([2, 5, 3]) as tf.Tensor3D;
      expect(() => maskedMaxPool(x, tf.zeros([2, 3, 4]) as tf.Tensor3D)).toThrow(/mask \[B, N, T\].*mask \[2, 3, 4\]/);
      expect(() => spanMaxPool(x, tf.zeros([2, 3, 2]) as tf.Tensor3D)).toThrow(/spans int32 \[B, S, 2\].*float32/);
      expect(() => spanMaxPool(x, tf.zeros([2, 3, 2], 'int32') as tf.Tensor3D, 0)).toThrow(/maxWidth must be a positive integer/);
    });
  });
}
