import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../module/index.js';
import { checkGradients, checkVariableGradients, expectNoLeak, randomTensor } from '../testing/index.js';
import { BiLstm, Lstm, lstmRecurrence, orthogonalMatrix, permuteRows, readingOrder } from './index.js';
import { Rng } from '../init/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** `[B, T]` left-aligned 0/1 mask from sentence lengths. */
function lengthMask(lengths: number[], T: number): tf.Tensor2D {
  return tf.tensor2d(lengths.flatMap((L) => Array.from({ length: T }, (_, t) => (t < L ? 1 : 0))), [lengths.length, T]);
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * The LSTM equations in plain JS, one sentence at a time (gate columns [i | f | o | g]):
 * reads x[b, 0..L-1] in order, or reversed for `reverse`, writes h at each word's own position.
 */
function naiveLstm(x: number[][][], lengths: number[], W: number[][], U: number[][], bias: number[], reverse: boolean): number[][][] {
  const H = U.length;
  return x.map((sentence, b) => {
    const out = sentence.map(() => new Array(H).fill(0));
    const L = lengths[b];
    let h = new Array(H).fill(0);
    let c = new Array(H).fill(0);
    for (let step = 0; step < L; step++) {
      const t = reverse ? L - 1 - step : step;
      const z = bias.map((bj, j) => {
        let v = bj;
        for (let d = 0; d < sentence[t].length; d++) v += sentence[t][d] * W[d][j];
        for (let k = 0; k < H; k++) v += h[k] * U[k][j];
        return v;
      });
      const i = z.slice(0, H).map(sigmoid);
      const f = z.slice(H, 2 * H).map(sigmoid);
      const o = z.slice(2 * H, 3 * H).map(sigmoid);
      const g = z.slice(3 * H).map(Math.tanh);
      c = c.map((cj, j) => f[j] * cj + i[j] * g[j]);
      h = c.map((cj, j) => o[j] * Math.tanh(cj));
      out[t] = h;
    }
    return out;
  });
}

function expectClose(actual: number[][][], expected: number[][][], tol: number): void {
  const a = actual.flat(2);
  const e = expected.flat(2);
  expect(a.length).toBe(e.length);
  let worst = 0;
  for (let k = 0; k < a.length; k++) worst = Math.max(worst, Math.abs(a[k] - e[k]));
  expect(worst).toBeLessThan(tol);
}

describe('Lstm', () => {
  const lengths = [5, 3, 1, 0]; // includes a one-word and an empty sentence
  const T = 5;

  for (const reverse of [false, true]) {
    it(`matches a naive loop of the LSTM equations (${reverse ? 'right-to-left' : 'left-to-right'})`, () => {
      const lstm = new Lstm({ inputDim: 4, hiddenDim: 3, reverse, seed: 7 });
      // A non-trivial bias so every parameter matters.
      lstm.bias.assign(randomTensor([12], 3) as tf.Tensor1D);
      const x = randomTensor([4, T, 4], 1) as tf.Tensor3D;
      const mask = lengthMask(lengths, T);
      const y = lstm.apply(x, mask);
      expect(y.shape).toEqual([4, T, 3]);
      const expected = naiveLstm(
        x.arraySync(),
        lengths,
        lstm.kernel.arraySync() as number[][],
        lstm.recurrentKernel.arraySync() as number[][],
        lstm.bias.arraySync() as number[],
        reverse,
      );
      expectClose(y.arraySync(), expected, 1e-5);
      tf.dispose([x, mask, y]);
      lstm.dispose();
    });
  }

  it('gives a sentence the same states alone as in a padded batch, in both directions', () => {
    for (const reverse of [false, true]) {
      const lstm = new Lstm({ inputDim: 3, hiddenDim: 4, reverse, seed: 11 });
      const x = randomTensor([3, 6, 3], 2) as tf.Tensor3D;
      const batch = lstm.apply(x, lengthMask([6, 2, 4], 6)).arraySync();
      const alone = tf.tidy(() => lstm.apply(tf.slice(x, [2, 0, 0], [1, 4, 3]), lengthMask([4], 4)).arraySync());
      expectClose([batch[2].slice(0, 4)], alone, 1e-6);
      expect(batch[2].slice(4).flat().every((v) => v === 0)).toBe(true);
      x.dispose();
      lstm.dispose();
    }
  });

  it('rejects inputs of the wrong shape, naming the field', () => {
    const lstm = new Lstm({ inputDim: 3, hiddenDim: 2 });
    const x = tf.zeros([2, 4, 5]) as tf.Tensor3D;
    expect(() => lstm.apply(x, lengthMask([4, 4], 4))).toThrow(/inputDim/);
    const x3 = tf.zeros([2, 4, 3]) as tf.Tensor3D;
    expect(() => lstm.apply(x3, lengthMask([4], 4))).toThrow(/mask must be \[2, 4\]/);
    tf.dispose([x, x3]);
    lstm.dispose();
  });

  it('initialises the recurrent kernel with orthogonal per-gate blocks and forget bias 1', () => {
    const lstm = new Lstm({ inputDim: 2, hiddenDim: 5, seed: 3 });
    const U = lstm.recurrentKernel.arraySync() as number[][];
    for (let gate = 0; gate < 4; gate++) {
      for (let a = 0; a < 5; a++) {
        for (let b = 0; b < 5; b++) {
          let dot = 0;
          for (let k = 0; k < 5; k++) dot += U[a][gate * 5 + k] * U[b][gate * 5 + k];
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5);
        }
      }
    }
    expect(Array.from(lstm.bias.dataSync())).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, ...new Array(10).fill(0)]);
    expect(orthogonalMatrix(3, new Rng(1))).toHaveLength(9);
    lstm.dispose();
  });
});

describe('lstmRecurrence (hand-written backward pass)', () => {
  /** The same recurrence written with plain tfjs ops, differentiated by tfjs' autodiff. */
  function autodiffRecurrence(xProj: tf.Tensor3D, U: tf.Tensor2D): tf.Tensor3D {
    const [T, B, fourH] = xProj.shape;
    const H = fourH / 4;
    let h = tf.zeros([B, H]);
    let c = tf.zeros([B, H]);
    const hs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const z = tf.add(tf.squeeze(tf.slice(xProj, [t, 0, 0], [1, B, fourH]), [0]), tf.matMul(h, U));
      const [zi, zf, zo, zg] = tf.split(z, 4, 1);
      c = tf.add(tf.mul(tf.sigmoid(zf), c), tf.mul(tf.sigmoid(zi), tf.tanh(zg)));
      h = tf.mul(tf.sigmoid(zo), tf.tanh(c));
      hs.push(h);
    }
    return tf.stack(hs) as tf.Tensor3D;
  }

  it('gives the same values and gradients as autodiff of the plain loop', () => {
    const xProj = randomTensor([4, 3, 8], 21) as tf.Tensor3D; // T=4, B=3, H=2
    const U = randomTensor([2, 8], 22) as tf.Tensor2D;
    const w = randomTensor([4, 3, 2], 23);
    const loss = (f: typeof lstmRecurrence) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(f(a as tf.Tensor3D, b as tf.Tensor2D), w));
    const ours = tf.grads(loss(lstmRecurrence))([xProj, U]);
    const reference = tf.grads(loss(autodiffRecurrence))([xProj, U]);
    const expectedStates = autodiffRecurrence(xProj, U).dataSync();
    lstmRecurrence(xProj, U).dataSync().forEach((v, j) => expect(v).toBeCloseTo(expectedStates[j], 6));
    ours.forEach((g, k) => {
      const r = reference[k].dataSync();
      g.dataSync().forEach((v, j) => expect(v).toBeCloseTo(r[j], 5));
    });
  });

  it('passes a finite-difference check', () => {
    const xProj = randomTensor([3, 2, 8], 31);
    const U = randomTensor([2, 8], 32);
    checkGradients((a, b) => lstmRecurrence(a as tf.Tensor3D, b as tf.Tensor2D), [xProj, U], { eps: 1e-2, tol: 2e-2 });
    tf.dispose([xProj, U]);
  });

  it('handles a single step and leaks nothing through forward and backward', () => {
    const xProj = randomTensor([1, 2, 8], 41) as tf.Tensor3D;
    const U = randomTensor([2, 8], 42) as tf.Tensor2D;
    expectNoLeak(() => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(lstmRecurrence(a as tf.Tensor3D, b as tf.Tensor2D)))([xProj, U]));
    expectNoLeak(() => lstmRecurrence(xProj, U));
    tf.dispose([xProj, U]);
  });
});

describe('readingOrder / permuteRows', () => {
  it('reads each sentence backwards within its own length, time-major, and restores word order', () => {
    // x[b, t] = 10 b + t; lengths 4, 2, 1 (T = 4).
    const x = tf.tensor2d([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23], [12, 1]);
    const { toTimeMajor, toBatchMajor } = readingOrder(lengthMask([4, 2, 1], 4), true);
    const read = permuteRows(x as tf.Tensor2D, toTimeMajor, toBatchMajor);
    // Step t holds (row 0, row 1, row 2); padding stays at its own position.
    expect(Array.from(read.dataSync())).toEqual([3, 11, 20, 2, 10, 21, 1, 12, 22, 0, 13, 23]);
    expect(Array.from(permuteRows(read, toBatchMajor, toTimeMajor).dataSync())).toEqual(Array.from(x.dataSync()));
    const forward = readingOrder(lengthMask([4, 2, 1], 4), false);
    expect(Array.from(permuteRows(x as tf.Tensor2D, forward.toTimeMajor, forward.toBatchMajor).dataSync())).toEqual([
      0, 10, 20, 1, 11, 21, 2, 12, 22, 3, 13, 23,
    ]);
    tf.dispose([x, toTimeMajor, toBatchMajor, read, forward.toTimeMajor, forward.toBatchMajor]);
  });

  it('has the inverse permutation as gradient', () => {
    const { toTimeMajor, toBatchMajor } = readingOrder(lengthMask([3, 1], 3), true);
    const x = randomTensor([6, 2], 45);
    checkGradients((a) => permuteRows(a as tf.Tensor2D, toTimeMajor, toBatchMajor), [x]);
    tf.dispose([x, toTimeMajor, toBatchMajor]);
  });
});

describe('BiLstm', () => {
  const config = { inputDim: 3, hiddenDim: 4, numLayers: 3, highway: true, seed: 5 };

  it('is built from its config through the registry, with named parameters', () => {
    const model = registry.build<BiLstm>('bilstm.v1', config);
    expect(model.config()).toEqual({ ...config, dropout: 0 });
    expect(model.outputDim).toBe(8);
    const names = [...model.parameters().keys()];
    expect(names).toContain('layers.0.forward.kernel');
    expect(names).toContain('layers.2.backward.recurrentKernel');
    expect(names).toContain('layers.1.highway.kernel');
    expect(names).not.toContain('layers.0.highway.kernel'); // first layer: input and output sizes differ
    const lstm = registry.build<Lstm>('lstm.v1', { inputDim: 2, hiddenDim: 3, reverse: true });
    expect(lstm.config()).toEqual({ inputDim: 2, hiddenDim: 3, reverse: true, forgetBias: 1, seed: 0 });
    model.dispose();
    lstm.dispose();
  });

  it('concatenates a forward and a right-to-left LSTM (one layer)', () => {
    const bi = new BiLstm({ inputDim: 3, hiddenDim: 2, seed: 9 });
    const x = randomTensor([2, 4, 3], 51) as tf.Tensor3D;
    const lengths = [4, 2];
    const y = bi.apply(x, lengthMask(lengths, 4)).arraySync();
    const p = bi.parameters();
    const run = (dir: string, reverse: boolean) =>
      naiveLstm(
        x.arraySync(),
        lengths,
        p.get(`layers.0.${dir}.kernel`)!.arraySync() as number[][],
        p.get(`layers.0.${dir}.recurrentKernel`)!.arraySync() as number[][],
        p.get(`layers.0.${dir}.bias`)!.arraySync() as number[],
        reverse,
      );
    const fwd = run('forward', false);
    const bwd = run('backward', true);
    expectClose(y, fwd.map((s, b) => s.map((h, t) => [...h, ...bwd[b][t]])), 1e-5);
    x.dispose();
    bi.dispose();
  });

  it('gives a sentence the same states alone as in a padded batch (3 layers, highway)', () => {
    const bi = new BiLstm(config);
    const x = randomTensor([3, 7, 3], 61) as tf.Tensor3D;
    const lengths = [3, 7, 5];
    const batch = bi.apply(x, lengthMask(lengths, 7)).arraySync();
    lengths.forEach((L, b) => {
      const alone = tf.tidy(() => bi.apply(tf.slice(x, [b, 0, 0], [1, L, 3]), lengthMask([L], L)).arraySync());
      expectClose([batch[b].slice(0, L)], alone, 1e-5);
      expect(batch[b].slice(L).flat().every((v) => v === 0)).toBe(true);
    });
    x.dispose();
    bi.dispose();
  });

  it('passes a finite-difference check w.r.t. inputs and every parameter (2 layers, highway, padding)', () => {
    const bi = new BiLstm({ inputDim: 2, hiddenDim: 2, numLayers: 2, highway: true, seed: 13 });
    const x = randomTensor([2, 3, 2], 71);
    const mask = lengthMask([3, 2], 3);
    checkGradients((a) => bi.apply(a as tf.Tensor3D, mask), [x], { eps: 1e-2, tol: 2e-2 });
    checkVariableGradients(() => bi.apply(x as tf.Tensor3D, mask), [...bi.parameters().values()], { eps: 1e-2, tol: 2e-2 });
    tf.dispose([x, mask]);
    bi.dispose();
  });

  it('applies dropout only while training, and leaks nothing', () => {
    const bi = new BiLstm({ inputDim: 3, hiddenDim: 4, numLayers: 2, dropout: 0.5, seed: 17 });
    const x = randomTensor([2, 5, 3], 81) as tf.Tensor3D;
    const mask = lengthMask([5, 3], 5);
    const a = bi.apply(x, mask, false).dataSync();
    const b = bi.apply(x, mask, false).dataSync();
    const c = bi.apply(x, mask, true).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(c)).not.toEqual(Array.from(a));
    expectNoLeak(() => bi.apply(x, mask, true));
    expectNoLeak(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(bi.apply(x, mask, true)));
      return [value, ...Object.values(grads)];
    });
    tf.dispose([x, mask]);
    bi.dispose();
  });
});

describe('BiLstm on the patched wasm backend', () => {
  it('computes the same states and parameter gradients as on cpu', async () => {
    const bi = new BiLstm({ inputDim: 5, hiddenDim: 6, numLayers: 2, highway: true, seed: 23 });
    const x = randomTensor([3, 6, 5], 91) as tf.Tensor3D;
    const mask = lengthMask([6, 4, 1], 6);
    const weights = randomTensor([3, 6, 12], 92);
    const run = () =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(bi.apply(x, mask), weights)));
        return [value, ...[...bi.parameters().values()].map((v) => grads[v.name])].map((t) => Float32Array.from(t.dataSync()));
      });
    await tf.setBackend('cpu');
    const onCpu = run();
    const { initBackend } = await import('../backend/index.js');
    await initBackend({ backend: 'wasm' });
    const onWasm = run();

    onWasm.forEach((values, k) => values.forEach((v, j) => expect(v).toBeCloseTo(onCpu[k][j], 4)));
    await tf.setBackend('cpu');
    tf.dispose([x, mask, weights]);
    bi.dispose();
  });
});
