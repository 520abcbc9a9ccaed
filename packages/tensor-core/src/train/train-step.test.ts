import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { AdamW, type AdamWStepOptions } from './adamw.js';
import { trainStep } from './train-step.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Linear regression y ~ x.w + b + c with a frozen offset c, loss = mean squared error.
 * The naive path below computes the loss and the analytic gradients in plain JS,
 * clips as clip_grad_norm_ and applies a plain-JS AdamW (wd on w only).
 */
const N = 5;
const D = 3;

function data(rng: Rng): { x: number[][]; y: number[] } {
  const x = Array.from({ length: N }, () => Array.from({ length: D }, () => rng.next() * 2 - 1));
  const y = x.map((row) => 2 * row[0] - row[1] + 0.5 * row[2] + 0.3);
  return { x, y };
}

function naiveStep(
  s: { w: number[]; b: number; m: number[]; v: number[]; t: number },
  x: number[][],
  y: number[],
  c: number,
  lr: number,
  wd: number,
  clip: number | undefined,
): number {
  const residual = x.map((row, i) => row.reduce((acc, xi, j) => acc + xi * s.w[j], 0) + s.b + c - y[i]);
  const loss = residual.reduce((a, r) => a + r * r, 0) / N;
  let gw = s.w.map((_, j) => (2 / N) * residual.reduce((a, r, i) => a + r * x[i][j], 0));
  let gb = (2 / N) * residual.reduce((a, r) => a + r, 0);
  if (clip !== undefined) {
    const norm = Math.sqrt(gw.reduce((a, g) => a + g * g, 0) + gb * gb);
    const coef = Math.min(1, clip / (norm + 1e-6));
    gw = gw.map((g) => g * coef);
    gb *= coef;
  }
  s.t += 1;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const bc1 = 1 - b1 ** s.t;
  const bc2 = 1 - b2 ** s.t;
  const grads = [...gw, gb];
  const values = [...s.w, s.b];
  const out = values.map((p, i) => {
    const g = grads[i];
    const decayed = i < D ? p * (1 - lr * wd) : p; // "bias" is excluded from decay
    s.m[i] = b1 * s.m[i] + (1 - b1) * g;
    s.v[i] = b2 * s.v[i] + (1 - b2) * g * g;
    return decayed - (lr / bc1) * (s.m[i] / (Math.sqrt(s.v[i]) / Math.sqrt(bc2) + eps));
  });
  s.w = out.slice(0, D);
  s.b = out[D];
  return loss;
}

describe('trainStep', () => {
  it('hands the gradients to the optimizer in parameter order, whatever order the variables were made in', () => {
    const first = tf.variable(tf.tensor1d([1, 2]));
    const second = tf.variable(tf.tensor1d([3]));
    const params = new Map([['b', second], ['a', first]]); // parameter order differs from creation order
    const seen: string[] = [];
    class RecordingAdamW extends AdamW {
      override step(grads: Map<string, tf.Tensor>, options?: AdamWStepOptions): number | undefined {
        seen.push(...grads.keys());
        return super.step(grads, options);
      }
    }
    const opt = new RecordingAdamW(params, { lr: 0.1 });
    trainStep(params, () => tf.add(tf.sum(tf.square(first)), tf.sum(second)) as tf.Scalar, opt, { clip: 1 });
    expect(seen).toEqual(['b', 'a']);
    opt.dispose();
    first.dispose();
    second.dispose();
  });

  for (const clip of [undefined, 0.5]) {
    it(`matches naive gradients + ${clip ? 'clipping + ' : ''}AdamW over 4 steps, skips frozen variables, leaks nothing`, () => {
      const rng = new Rng(11);
      const { x, y } = data(rng);
      const w0 = [0.1, -0.2, 0.3];
      const params = new Map<string, tf.Variable>([
        ['dense.kernel', tf.variable(tf.tensor2d(w0, [D, 1]))], // [D, 1]
        ['dense.bias', tf.variable(tf.tensor1d([0]))], // [1]
        ['offset', tf.variable(tf.scalar(0.25), false)], // frozen
      ]);
      const xs = tf.tensor2d(x); // [N, D]
      const ys = tf.tensor2d(y, [N, 1]); // [N, 1]
      const lossFn = () =>
        tf.mean(tf.square(tf.sub(tf.add(tf.add(tf.matMul(xs, params.get('dense.kernel')!), params.get('dense.bias')!), params.get('offset')!), ys))) as tf.Scalar;
      const lr = 0.05;
      const wd = 0.1;
      const opt = new AdamW(params, { lr, weightDecay: wd });
      const ref = { w: w0.slice(), b: 0, m: [0, 0, 0, 0], v: [0, 0, 0, 0], t: 0 };

      const tensorsAtStart = tf.memory().numTensors;
      for (let k = 0; k < 4; k++) {
        const before = tf.memory().numTensors;
        const loss = trainStep(params, lossFn, opt, { clip });
        // the first step creates the two moments of the two trainable parameters; later steps nothing
        expect(tf.memory().numTensors - before).toBe(k === 0 ? 4 : 0);
        const expectedLoss = naiveStep(ref, x, y, 0.25, lr, wd, clip);
        expect(loss).toBeCloseTo(expectedLoss, 5);
        const w = params.get('dense.kernel')!.dataSync();
        ref.w.forEach((e, j) => expect(w[j]).toBeCloseTo(e, 5));
        expect(params.get('dense.bias')!.dataSync()[0]).toBeCloseTo(ref.b, 5);
      }
      expect(params.get('offset')!.dataSync()[0]).toBe(0.25);
      opt.dispose();
      expect(tf.memory().numTensors).toBe(tensorsAtStart);
      tf.dispose([xs, ys, ...params.values()]);
    });
  }

  it('reduces the loss on a small problem', () => {
    const rng = new Rng(5);
    const { x, y } = data(rng);
    const w = tf.variable(tf.zeros([D, 1]));
    const b = tf.variable(tf.zeros([1]));
    const params = new Map([
      ['w', w],
      ['b', b],
    ]);
    const xs = tf.tensor2d(x);
    const ys = tf.tensor2d(y, [N, 1]);
    const lossFn = () => tf.losses.meanSquaredError(ys, tf.add(tf.matMul(xs, w), b)) as tf.Scalar;
    const opt = new AdamW(params, { lr: 0.1, weightDecay: 0 });
    const first = trainStep(params, lossFn, opt, { clip: 1 });
    let last = first;
    for (let k = 0; k < 100; k++) last = trainStep(params, lossFn, opt, { clip: 1 });
    expect(last).toBeLessThan(first * 0.01);
    opt.dispose();
    tf.dispose([xs, ys, w, b]);
  });

  it('frees the gradients when the optimizer throws, and rejects all-frozen parameters', () => {
    const w = tf.variable(tf.ones([2]));
    const other = tf.variable(tf.ones([2]));
    const params = new Map([['w', w]]);
    const opt = new AdamW(new Map([['other', other]])); // does not know "w"
    const before = tf.memory().numTensors;
    expect(() => trainStep(params, () => tf.sum(tf.square(w)) as tf.Scalar, opt)).toThrow(/unknown parameter "w"/);
    expect(tf.memory().numTensors).toBe(before);
    const frozen = tf.variable(tf.ones([1]), false);
    expect(() => trainStep(new Map([['f', frozen]]), () => tf.sum(frozen) as tf.Scalar, opt)).toThrow(/none of the 1 parameters is trainable/);
    tf.dispose([w, other, frozen]);
  });
});
