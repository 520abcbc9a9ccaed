import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/init-backend.js';
import '../backend/register-gradients.js';
import { randomTensor } from '../testing/index.js';
import { leanVariableGrads } from './lean-variable-grads.js';

/**
 * A small network with what a real loss has: a variable used twice, a gather
 * (its gradient is a scatter-add), concat, reshape, a broadcasting add, softmax,
 * a custom gradient that passes `dy` through unchanged, a variable that does
 * not reach the loss, and a frozen one.
 */
function makeNet(seed: number) {
  const v = (shape: number[], s: number, trainable = true, name?: string) => tf.variable(randomTensor(shape, seed + s), trainable, name);
  const vars = {
    table: v([7, 4], 1),
    w1: v([8, 6], 2),
    b1: v([6], 3),
    w2: v([6, 3], 4),
    unused: v([3], 5),
    frozen: v([4], 6, false),
  };
  const passThrough = tf.customGrad(((x: tf.Tensor) => ({ value: tf.relu(x), gradFunc: (dy: tf.Tensor) => dy })) as unknown as Parameters<typeof tf.customGrad>[0]);
  const ids = tf.tensor1d([0, 3, 3, 6, 1, 2], 'int32');
  const loss = (): tf.Scalar => {
    const e = tf.gather(vars.table, ids); // [6, 4]
    const h0 = tf.concat([tf.add(e, vars.frozen), tf.mul(e, e)], 1); // [6, 8]
    const h1 = passThrough(tf.add(tf.matMul(h0, vars.w1), vars.b1)) as tf.Tensor2D; // [6, 6]
    const h2 = tf.reshape(tf.matMul(h1, vars.w2), [2, 3, 3]); // [2, 3, 3]
    const p = tf.softmax(tf.add(h2, tf.sum(tf.mul(h1, vars.b1)))); // [2, 3, 3]
    return tf.add(tf.mean(tf.mul(p, tf.log(tf.add(p, 1)))), tf.sum(tf.square(vars.w1))) as tf.Scalar;
  };
  return { vars, loss, dispose: () => [...Object.values(vars), ids].forEach((t) => t.dispose()) };
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`leanVariableGrads on ${backend}`, () => {
    beforeAll(async () => {
      await initBackend({ backend });
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    it('gives tf.variableGrads\' value and gradients bit for bit, and leaks nothing', () => {
      const net = makeNet(10);
      const list = Object.values(net.vars);
      const stock = tf.variableGrads(net.loss, list);
      const before = tf.memory().numTensors;
      const lean = leanVariableGrads(net.loss, list);
      const made = 1 + Object.keys(lean.grads).length;
      expect(tf.memory().numTensors).toBe(before + made);
      expect(lean.value.dataSync()).toEqual(stock.value.dataSync());
      expect(Object.keys(lean.grads).sort()).toEqual(Object.keys(stock.grads).filter((k) => stock.grads[k] !== null).sort());
      expect(lean.grads[net.vars.unused.name]).toBeUndefined();
      expect(lean.grads[net.vars.frozen.name]).toBeUndefined();
      for (const [name, g] of Object.entries(lean.grads)) expect(g.dataSync(), name).toEqual(stock.grads[name]!.dataSync());
      for (const g of [...Object.values(lean.grads), lean.value]) g.dispose();
      expect(tf.memory().numTensors).toBe(before);
      for (const g of [...Object.values(stock.grads), stock.value]) g?.dispose();
      net.dispose();
    });

    it('holds less at its peak than tf.variableGrads (activations freed as the backward pass goes)', async () => {
      // A deep stack of layers over many rows: the stock backward pass keeps every activation and gradient to the end.
      const x = randomTensor([512, 32], 20);
      const ws = Array.from({ length: 12 }, (_, i) => tf.variable(tf.mul(randomTensor([32, 32], 30 + i), 0.3)));
      const loss = () => {
        let h = x;
        for (const w of ws) {
          const input = h;
          h = tf.tidy(() => tf.tanh(tf.matMul(input, w))); // as a head does: only what the tape saved outlives the layer
        }
        return tf.mean(tf.square(h)) as tf.Scalar;
      };
      const peak = async (grads: typeof leanVariableGrads) => {
        const info = await tf.profile(() => {
          const { value, grads: g } = grads(loss, ws);
          value.dispose();
          Object.values(g).forEach((t) => t?.dispose());
        });
        return info.peakBytes;
      };
      const stockPeak = await peak((f, list) => tf.variableGrads(f, list) as ReturnType<typeof leanVariableGrads>);
      const leanPeak = await peak(leanVariableGrads);
      expect(leanPeak).toBeLessThan(0.85 * stockPeak); // measured: 0.75 (cpu): the stock peak is after the backward pass, this one at the forward's end
      [x, ...ws].forEach((t) => t.dispose());
    });

    it('defers to tf.variableGrads inside another gradient computation, and rejects a loss no variable reaches', () => {
      const v = tf.variable(tf.scalar(3));
      const outer = tf.grad((x: tf.Tensor) => {
        const { value, grads } = leanVariableGrads(() => tf.mul(v, v) as tf.Scalar, [v]);
        return tf.mul(x, tf.add(value, grads[v.name]));
      });
      expect(outer(tf.scalar(2)).dataSync()[0]).toBe(15);
      const w = tf.variable(tf.scalar(1));
      expect(() => leanVariableGrads(() => tf.scalar(1), [w])).toThrow(/connection/);
      v.dispose();
      w.dispose();
    });
  });
}
