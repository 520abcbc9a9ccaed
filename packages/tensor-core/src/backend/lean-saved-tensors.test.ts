import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './index.js';
import { setFusedKernels } from './fused-kernels.js';
import { leanSavedTensorsInstalled } from './lean-saved-tensors.js';
import { randomValues } from './test-support.js';

/** A small two-layer network's loss: matMuls, tanh, softmax cross-entropy (every op saves tensors for its gradient). */
function loss(x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const hidden = tf.tanh(tf.matMul(x, w1)); // [N, H]
  return tf.losses.softmaxCrossEntropy(labels, tf.matMul(hidden, w2)) as tf.Scalar;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`lean saved tensors (${backend})`, () => {
    beforeAll(async () => {
      const info = await initBackend({ backend });
      expect(info.name).toBe(backend);
      expect(leanSavedTensorsInstalled()).toBe(true);
    });
    afterEach(() => setFusedKernels(true));

    const x = () => tf.tensor(randomValues(6 * 5, 1), [6, 5]);
    const w1 = () => tf.tensor(randomValues(5 * 7, 2), [5, 7]);
    const w2 = () => tf.tensor(randomValues(7 * 3, 3), [7, 3]);
    const labels = () => tf.oneHot(tf.tensor1d([0, 2, 1, 1, 0, 2], 'int32'), 3);

    const gradientsWith = (fused: boolean) => {
      setFusedKernels(fused);
      return tf.tidy(() => {
        const [xs, a, b, l] = [x(), w1(), w2(), labels()];
        return tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => loss(p, q, r, l))([xs, a, b]).map((g) => Float32Array.from(g.dataSync()));
      });
    };

    it('gives the same gradients bit for bit, without the Identity kernels the engine ran to save tensors', () => {
      expect(gradientsWith(true)).toEqual(gradientsWith(false));
      // Identity kernels run through the engine during one gradient computation (tf.profile does not see
      // the ones the engine runs inside another kernel's bookkeeping, so count engine.runKernel calls).
      const identities = (fused: boolean) => {
        setFusedKernels(fused);
        const engine = tf.engine() as unknown as { runKernel: (name: string, ...rest: unknown[]) => unknown };
        const runKernel = engine.runKernel;
        let count = 0;
        engine.runKernel = function (this: unknown, name: string, ...rest: unknown[]) {
          if (name === 'Identity') count++;
          return runKernel.call(this, name, ...rest);
        };
        try {
          tf.tidy(() => {
            const [xs, a, b, l] = [x(), w1(), w2(), labels()];
            tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => loss(p, q, r, l))([xs, a, b]);
          });
        } finally {
          engine.runKernel = runKernel;
        }
        return count;
      };
      expect(identities(false)).toBeGreaterThan(3);
      expect(identities(true)).toBe(0);
    });

    it('leaks no tensor over a gradient step', () => {
      const [xs, a, b, l] = [x(), w1(), w2(), labels()];
      tf.dispose(tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => loss(p, q, r, l))([xs, a, b])); // warm-up
      const before = tf.memory().numTensors;
      tf.dispose(tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => loss(p, q, r, l))([xs, a, b]));
      expect(tf.memory().numTensors).toBe(before);
      tf.dispose([xs, a, b, l]);
    });

    it('keeps higher-order gradients right: d2/dx2 of x^3 * sin(x) by tf.grad(tf.grad(...))', () => {
      const values = [-1.3, 0.2, 0.9, 2.1];
      const second = tf.tidy(() => {
        const f = (v: tf.Tensor) => tf.mul(tf.mul(tf.mul(v, v), v), tf.sin(v));
        return Array.from(tf.grad((v: tf.Tensor) => tf.grad(f)(v))(tf.tensor1d(values)).dataSync());
      });
      // (x^3 sin x)'' = 6x sin x + 6x^2 cos x - x^3 sin x
      values.forEach((v, i) => expect(second[i]).toBeCloseTo(6 * v * Math.sin(v) + 6 * v * v * Math.cos(v) - v ** 3 * Math.sin(v), 3));
    });
  });
}
