import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { setFusedKernels, useFusedKernel } from '../backend/fused-kernels.js';
import { ZERO_MASKED_ROWS } from '../backend/kernels/zero-masked-rows-kernel.js';
import { expectNoLeak, randomTensor } from '../testing/index.js';
import { zeroMaskedRows } from './zero-masked-rows.js';

afterEach(() => setFusedKernels(true));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`zeroMaskedRows on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('zeroes dropped rows to +0 (also -1, NaN and Infinity), keeps the others, on both paths', () => {
      expect(useFusedKernel(ZERO_MASKED_ROWS)).toBe(true);
      const x = tf.tensor3d([[[-1, NaN], [Infinity, 2]], [[3, -4], [-0.5, 5]]]); // [B=2, N=2, D=2]
      const mask = tf.tensor2d([[0, 1], [1, 0]]); // [B, N]
      for (const fused of [true, false]) {
        setFusedKernels(fused);
        const out = tf.tidy(() => zeroMaskedRows(x, mask).dataSync().slice());
        expect(Array.from(out)).toEqual([0, 0, Infinity, 2, 3, -4, 0, 0]);
        expect(Object.is(out[0], 0) && Object.is(out[6], 0)).toBe(true); // +0, never -0
      }
      tf.dispose([x, mask]);
    });

    it('the gradient reaches kept rows only, the same on both paths; int32 and bool masks', () => {
      const x = randomTensor([3, 4, 5], 1);
      const w = randomTensor([3, 4, 5], 2);
      const mask = tf.tensor2d([[1, 0, 1, 1], [0, 0, 0, 0], [1, 1, 1, 0]], undefined, 'int32');
      const grad = (fused: boolean, m: tf.Tensor) => {
        setFusedKernels(fused);
        return tf.tidy(() => tf.grad((input: tf.Tensor) => tf.sum(tf.mul(zeroMaskedRows(input, m), w)))(x).dataSync().slice());
      };
      const keep = mask.dataSync(); // one flag per row of 5
      const expected = Array.from(w.dataSync(), (v, i) => (keep[Math.floor(i / 5)] !== 0 ? v : 0)); // dropped rows: +0
      expect(Array.from(grad(true, mask))).toEqual(expected);
      expect(Array.from(grad(false, mask))).toEqual(expected);
      const boolMask = tf.cast(mask, 'bool');
      expect(Array.from(grad(true, boolMask))).toEqual(expected);
      expectNoLeak(() => zeroMaskedRows(x, mask));
      tf.dispose([x, w, mask, boolMask]);
    });

    it('an int32 x, and a mask that only broadcasts (op-by-op path) give the same rows', () => {
      const x = tf.tensor3d([[[1, 2], [3, 4]]], undefined, 'int32');
      expect(tf.tidy(() => zeroMaskedRows(x, tf.tensor2d([[0, 1]])).arraySync())).toEqual([[[0, 0], [3, 4]]]);
      x.dispose();
    });
  });
}
