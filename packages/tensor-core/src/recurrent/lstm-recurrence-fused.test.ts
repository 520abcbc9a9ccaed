import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import { setFusedKernels, useFusedKernel } from '../backend/fused-kernels.js';
import { LSTM_RECURRENCE } from '../backend/kernels/lstm-recurrence-kernels.js';
import { expectNoLeak, randomTensor } from '../testing/index.js';
import { BiLstm } from './bilstm.js';
import { lstmRecurrence } from './lstm-recurrence.js';

/** Outputs and gradients of `sum(f(...inputs) * w)` w.r.t. every input, with the fused kernels on or off. */
function run(fused: boolean, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], seed: number): Float32Array[] {
  setFusedKernels(fused);
  return tf.tidy(() => {
    const out = f(...inputs);
    const w = randomTensor(out.shape, seed);
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), w)))(inputs);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

afterEach(() => setFusedKernels(true));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`the fused LSTM recurrence on ${backend} equals the op-by-op one, bit for bit`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('is the path taken when the switch is on', () => {
      expect(useFusedKernel(LSTM_RECURRENCE)).toBe(true);
    });

    for (const [T, B, H] of [
      [1, 1, 3],
      [6, 3, 5],
      [12, 2, 16],
    ]) {
      it(`T ${T}, B ${B}, H ${H}: states and the gradients of xProj and U bit for bit`, () => {
        const xProj = randomTensor([T, B, 4 * H], T * 100 + H, -2, 2);
        const U = randomTensor([H, 4 * H], T * 100 + H + 1, -0.5, 0.5);
        const f = (x: tf.Tensor, u: tf.Tensor) => lstmRecurrence(x as tf.Tensor3D, u as tf.Tensor2D);
        const fused = run(true, f, [xProj, U], 7);
        const opByOp = run(false, f, [xProj, U], 7);
        expect(fused).toHaveLength(3);
        fused.forEach((values, k) => expect(Array.from(values)).toEqual(Array.from(opByOp[k])));
        const largestDU = Math.max(...Array.from(fused[2], Math.abs));
        if (T > 1) expect(largestDU).toBeGreaterThan(0);
        else expect(largestDU).toBe(0); // no h_{t-1} U term with one step
        tf.dispose([xProj, U]);
      });
    }

    it('a padded BiLSTM layer (both directions, 2 layers, highway): outputs and every parameter gradient bit for bit', () => {
      const layer = new BiLstm({ inputDim: 4, hiddenDim: 6, numLayers: 2, highway: true, seed: 3 });
      const x = randomTensor([3, 7, 4], 11) as tf.Tensor3D;
      const mask = tf.tensor2d([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0]]);
      const params = [...layer.parameters().values()];
      const both = [true, false].map((fused) => {
        setFusedKernels(fused);
        return tf.tidy(() => {
          const w = randomTensor([3, 7, 12], 12);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, mask), w)) as tf.Scalar, params);
          return [value.dataSync() as Float32Array, ...params.map((p) => grads[p.name].dataSync() as Float32Array)];
        });
      });
      both[0].forEach((values, k) => expect(Array.from(values)).toEqual(Array.from(both[1][k])));
      tf.dispose([x, mask]);
      layer.dispose();
    });

    it('frees everything it makes, forward and backward', () => {
      const xProj = randomTensor([5, 2, 8], 1);
      const U = randomTensor([2, 8], 2);
      expectNoLeak(() => lstmRecurrence(xProj as tf.Tensor3D, U as tf.Tensor2D));
      expectNoLeak(() => tf.grads((x: tf.Tensor, u: tf.Tensor) => tf.sum(lstmRecurrence(x as tf.Tensor3D, u as tf.Tensor2D)))([xProj, U]));
      tf.dispose([xProj, U]);
    });
  });
}
