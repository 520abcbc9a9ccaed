import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend/index.js';
import { Rng } from '../init/rng.js';
import { AdamW, type AdamWOptions } from './adamw.js';
import { clipByGlobalNorm } from './clip-grad-norm.js';
import { fusedBackend, fusedGlobalNorm } from './fused-adamw.js';
import { adamwSimd } from '../backend/kernels/adamw-simd-wasm.js';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { trainStep } from './train-step.js';

/**
 * The fused AdamW (default) against the op-by-op one (`fused: false`), on the
 * same parameters and gradients, on the cpu and the patched wasm backends:
 * parameters and moments after several steps must agree to 1e-6 relative
 * (the fused path rounds as the kernels do, so they are in practice equal).
 */

const SHAPES: Record<string, number[]> = {
  'enc.kernel': [37, 19], // odd sizes: the SIMD loop's 4-wide body and the JS tail both run
  'enc.bias': [19],
  'enc.LayerNorm.weight': [19],
  'head.embedding': [50, 8],
  'head.w': [1000],
};

function values(rng: Rng, n: number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (rng.next() * 2 - 1) * scale);
}

function makeParams(seed: number): Map<string, tf.Variable> {
  const rng = new Rng(seed);
  const out = new Map<string, tf.Variable>();
  for (const [name, shape] of Object.entries(SHAPES)) {
    out.set(name, tf.variable(tf.tensor(values(rng, tf.util.sizeFromShape(shape), 1), shape), true, `${name}-${seed}-${Math.random()}`));
  }
  return out;
}

/** Gradients of step `k`; `head.embedding` gets none on odd steps; big on step 1 so that clipping bites. */
function makeGrads(seed: number, k: number): Map<string, tf.Tensor> {
  const rng = new Rng(seed * 1000 + k);
  const out = new Map<string, tf.Tensor>();
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (name === 'head.embedding' && k % 2 === 1) continue;
    out.set(name, tf.tensor(values(rng, tf.util.sizeFromShape(shape), k === 1 ? 5 : 0.05), shape));
  }
  return out;
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), 1e-30));
  return worst;
}

function compareStates(fused: AdamW, ref: AdamW, pf: Map<string, tf.Variable>, pr: Map<string, tf.Variable>): number {
  let worst = 0;
  for (const [name, p] of pf) worst = Math.max(worst, maxRelDiff(p.dataSync(), pr.get(name)!.dataSync()));
  const sf = fused.exportState();
  const sr = ref.exportState();
  expect([...sf.keys()].sort()).toEqual([...sr.keys()].sort());
  for (const [key, t] of sf) worst = Math.max(worst, maxRelDiff(t.dataSync(), sr.get(key)!.dataSync()));
  for (const t of [...sf.values(), ...sr.values()]) t.dispose();
  return worst;
}

function runBoth(options: AdamWOptions, clip: number | undefined, steps: number): number {
  const pf = makeParams(7);
  const pr = makeParams(7);
  const fused = new AdamW(pf, options);
  const ref = new AdamW(pr, { ...options, fused: false });
  expect(fused.usesFusedPath()).toBe(true);
  expect(ref.usesFusedPath()).toBe(false);
  let worst = 0;
  for (let k = 0; k < steps; k++) {
    const grads = makeGrads(3, k);
    const nf = fused.step(grads, clip === undefined ? {} : { clip });
    const nr = ref.step(grads, clip === undefined ? {} : { clip });
    if (clip !== undefined) expect(Math.abs(nf! - nr!) / nr!).toBeLessThan(1e-6);
    for (const g of grads.values()) g.dispose();
    worst = Math.max(worst, compareStates(fused, ref, pf, pr));
  }
  fused.dispose();
  ref.dispose();
  for (const p of [...pf.values(), ...pr.values()]) p.dispose();
  return worst;
}

const CASES: Record<string, { options: AdamWOptions; clip?: number }> = {
  'defaults (decay with excluded names, bias correction)': { options: { lr: 1e-2 } },
  'no bias correction, other betas, big eps': { options: { lr: 5e-3, biasCorrection: false, beta1: 0.8, beta2: 0.95, eps: 1e-3 } },
  'no weight decay, schedule': { options: { lr: { kind: 'linear-warmup-decay', peakLr: 3e-2, totalSteps: 6, warmupProportion: 0.3 }, weightDecay: 0 } },
  'clipping (bites on the big step, not on the others)': { options: { lr: 1e-2, weightDecay: 0.1 }, clip: 1 },
  'clipping that always bites': { options: { lr: 1e-2 }, clip: 1e-3 },
};

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused AdamW equals the op-by-op AdamW on ${backend}`, () => {
    beforeAll(async () => {
      if (backend === 'wasm') await initBackend({ backend: 'wasm' });
      else await tf.setBackend('cpu');
      expect(fusedBackend()).toBe(backend);
    });
    afterAll(async () => {
      await tf.setBackend('cpu');
    });

    if (backend === 'wasm') {
      it('runs the SIMD WebAssembly kernel on the wasm heap (not the JS fallback)', () => {
        expect(adamwSimd(tf.backend() as BackendWasm)).toBeDefined();
      });
    }

    for (const [title, c] of Object.entries(CASES)) {
      it(`${title}: 5 steps, params and moments to 1e-6`, () => {
        expect(runBoth(c.options, c.clip, 5)).toBeLessThan(1e-6); // in practice 0: the same bits
      });
    }

    it('the fused global norm equals clipByGlobalNorm\'s', () => {
      const grads = makeGrads(11, 1);
      grads.set('big', tf.tensor(values(new Rng(5), 100_003, 0.3)));
      const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
      const fusedNorm = fusedGlobalNorm([...grads.values()], backend);
      expect(Math.abs(fusedNorm - norm) / norm).toBeLessThan(1e-6);
      for (const g of [...grads.values(), ...clipped.values()]) g.dispose();
    });

    it('leaves tensors sharing a parameter or moment buffer unchanged (copy on write), and frees what it replaces', () => {
      const params = makeParams(9);
      const opt = new AdamW(params, { lr: 0.1 });
      const g0 = makeGrads(1, 0);
      opt.step(g0);
      const p = params.get('enc.kernel')!;
      const before = p.dataSync().slice();
      const aliasP = tf.reshape(p, [-1]); // shares p's data on both backends
      const exported = opt.exportState(); // clones: may share the moments' data
      const mBefore = exported.get('exp_avg/enc.kernel')!.dataSync().slice();
      const g1 = makeGrads(1, 2);
      const tensorsBefore = tf.memory().numTensors;
      opt.step(g1);
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(Array.from(aliasP.dataSync())).toEqual(Array.from(before));
      expect(Array.from(exported.get('exp_avg/enc.kernel')!.dataSync())).toEqual(Array.from(mBefore));
      expect(maxRelDiff(p.dataSync(), before)).toBeGreaterThan(0);
      for (const t of [aliasP, ...exported.values(), ...g0.values(), ...g1.values(), ...params.values()]) t.dispose();
      opt.dispose();
    });

    it('a resumed fused optimizer continues as an uninterrupted op-by-op one', () => {
      const pf = makeParams(4);
      const pr = makeParams(4);
      const ref = new AdamW(pr, { lr: 1e-2, fused: false });
      const first = new AdamW(pf, { lr: 1e-2 });
      for (let k = 0; k < 2; k++) {
        const g = makeGrads(2, k);
        first.step(g, { clip: 1 });
        ref.step(g, { clip: 1 });
        for (const t of g.values()) t.dispose();
      }
      const saved = first.exportState();
      first.dispose();
      const resumed = new AdamW(pf, { lr: 1e-2 });
      resumed.importState(saved);
      for (const t of saved.values()) t.dispose();
      for (let k = 2; k < 4; k++) {
        const g = makeGrads(2, k);
        resumed.step(g, { clip: 1 });
        ref.step(g, { clip: 1 });
        for (const t of g.values()) t.dispose();
      }
      expect(compareStates(resumed, ref, pf, pr)).toBeLessThan(1e-6);
      resumed.dispose();
      ref.dispose();
      for (const p of [...pf.values(), ...pr.values()]) p.dispose();
    });

    it('trainStep with clipping: the same weights on both paths', () => {
      const rng = new Rng(3);
      const x = tf.tensor2d(values(rng, 40 * 6, 1), [40, 6]);
      const y = tf.tensor2d(values(rng, 40, 3), [40, 1]);
      const run = (fused: boolean): Float32Array[] => {
        const w = tf.variable(tf.tensor2d(values(new Rng(8), 6, 0.5), [6, 1]), true, `w-${fused}-${Math.random()}`);
        const b = tf.variable(tf.zeros([1]), true, `b-${fused}-${Math.random()}`);
        const params = new Map([['lin.w', w], ['lin.bias', b]]);
        const opt = new AdamW(params, { lr: 0.05, fused });
        for (let k = 0; k < 4; k++) trainStep(params, () => tf.mean(tf.square(tf.sub(tf.add(tf.matMul(x, w), b), y))) as tf.Scalar, opt, { clip: 0.5 });
        const out = [w.dataSync().slice() as Float32Array, b.dataSync().slice() as Float32Array];
        opt.dispose();
        w.dispose();
        b.dispose();
        return out;
      };
      const [fw, fb] = run(true);
      const [rw, rb] = run(false);
      expect(maxRelDiff(fw, rw)).toBeLessThan(1e-6);
      expect(maxRelDiff(fb, rb)).toBeLessThan(1e-6);
      x.dispose();
      y.dispose();
    });
  });
}
