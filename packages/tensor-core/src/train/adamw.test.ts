import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../init/rng.js';
import { decodeSafetensors, encodeSafetensors } from '../io/safetensors.js';
import { AdamW } from './adamw.js';
import { linearWarmupDecaySchedule } from './lr-schedule.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

interface RefOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  biasCorrection: boolean;
}

/**
 * Plain-JS transcription of PyTorch's `torch.optim.adamw._single_tensor_adamw`
 * (float64, one parameter): decay the old value, update the moments, then
 * `param.addcdiv_(exp_avg, exp_avg_sq.sqrt() / sqrt(bc2) + eps, value=-lr / bc1)`.
 */
class ReferenceAdamW {
  step = 0;
  m: number[];
  v: number[];
  constructor(
    public p: number[],
    private readonly o: RefOptions,
  ) {
    this.m = p.map(() => 0);
    this.v = p.map(() => 0);
  }
  update(grad: number[], lr: number, decay: boolean): void {
    const { beta1, beta2, eps, weightDecay, biasCorrection } = this.o;
    this.step += 1;
    const bc1 = biasCorrection ? 1 - beta1 ** this.step : 1;
    const bc2 = biasCorrection ? 1 - beta2 ** this.step : 1;
    for (let i = 0; i < this.p.length; i++) {
      if (decay) this.p[i] *= 1 - lr * weightDecay;
      this.m[i] = this.m[i] * beta1 + (1 - beta1) * grad[i];
      this.v[i] = this.v[i] * beta2 + (1 - beta2) * grad[i] * grad[i];
      const denom = Math.sqrt(this.v[i]) / Math.sqrt(bc2) + eps;
      this.p[i] -= (lr / bc1) * (this.m[i] / denom);
    }
  }
}

const SHAPES: Record<string, number[]> = {
  'encoder.kernel': [2, 3],
  'encoder.bias': [3],
  'encoder.LayerNorm.weight': [3],
  'head.layer-norm.gamma': [3],
  'head.embedding': [4, 2],
};

function makeParams(rng: Rng): { params: Map<string, tf.Variable>; initial: Map<string, number[]> } {
  const params = new Map<string, tf.Variable>();
  const initial = new Map<string, number[]>();
  for (const [name, shape] of Object.entries(SHAPES)) {
    const values = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.next() * 2 - 1);
    initial.set(name, values);
    params.set(name, tf.variable(tf.tensor(values, shape)));
  }
  return { params, initial };
}

/** Random gradients for step `k`; `head.embedding` gets none on odd steps (as an unused parameter). */
function gradsFor(rng: Rng, k: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (name === 'head.embedding' && k % 2 === 1) continue;
    out.set(name, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (rng.next() * 2 - 1) * (1 + k)));
  }
  return out;
}

function toTensors(grads: Map<string, number[]>): Map<string, tf.Tensor> {
  return new Map([...grads].map(([n, vs]) => [n, tf.tensor(vs, SHAPES[n])]));
}

function expectClose(actual: ArrayLike<number>, expected: number[], tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i])));
  }
}

describe('AdamW', () => {
  for (const biasCorrection of [true, false]) {
    it(`matches a plain-JS PyTorch reference over 6 steps with a schedule, no-decay names and skipped gradients (biasCorrection ${biasCorrection})`, () => {
      const rng = new Rng(42);
      const { params, initial } = makeParams(rng);
      // a large eps so that where it goes matters at the tolerance below
      const o: RefOptions = { beta1: 0.8, beta2: 0.95, eps: 0.05, weightDecay: 0.3, biasCorrection };
      const schedule = linearWarmupDecaySchedule(0.05, 8, 0.25);
      const opt = new AdamW(params, { ...o, lr: schedule, noDecay: ['bias', 'LayerNorm.weight', /layer-norm/] });
      const refs = new Map([...initial].map(([n, vs]) => [n, new ReferenceAdamW(vs.slice(), o)]));
      const noDecay = new Set(['encoder.bias', 'encoder.LayerNorm.weight', 'head.layer-norm.gamma']);
      for (const name of params.keys()) expect(opt.decays(name)).toBe(!noDecay.has(name));

      for (let k = 0; k < 6; k++) {
        const grads = gradsFor(rng, k);
        expect(opt.currentLr()).toBe(schedule(k));
        const gradTensors = toTensors(grads);
        opt.step(gradTensors);
        tf.dispose([...gradTensors.values()]);
        for (const [name, g] of grads) refs.get(name)!.update(g, schedule(k), !noDecay.has(name));
        for (const [name, p] of params) expectClose(p.dataSync(), refs.get(name)!.p, 2e-6);
      }
      expect(opt.stepCount).toBe(6);
      // the parameters really moved, and the skipped one moved less often
      const exported = opt.exportState();
      expect(exported.get('step/head.embedding')!.dataSync()[0]).toBe(3);
      expect(exported.get('step/encoder.kernel')!.dataSync()[0]).toBe(6);
      expectClose(exported.get('exp_avg_sq/encoder.kernel')!.dataSync(), refs.get('encoder.kernel')!.v, 1e-5);
      tf.dispose([...exported.values()]);
      opt.dispose();
      tf.dispose([...params.values()]);
    });
  }

  it('puts eps after the bias-corrected sqrt(v) and decays the old value (hand-computed step)', () => {
    // p = 1, g = 0.5, lr = 0.1, first step: m_hat = 0.5, v_hat = 0.25, sqrt = 0.5.
    // PyTorch: p * (1 - 0.1 * 0.5) - 0.1 * 0.5 / (0.5 + 0.5) = 0.95 - 0.05 = 0.9.
    // (eps inside the uncorrected sqrt, as Hugging Face's AdamW, would give about 0.947.)
    const p = tf.variable(tf.scalar(1));
    const opt = new AdamW(new Map([['w', p]]), { lr: 0.1, eps: 0.5, weightDecay: 0.5 });
    const g = tf.scalar(0.5);
    opt.step(new Map([['w', g]]));
    expect(p.dataSync()[0]).toBeCloseTo(0.9, 6);
    // with defaults (eps 1e-8, wd 0.01) the first step moves by lr * sign(g): 1 * (1 - 0.001) - 0.1
    const q = tf.variable(tf.scalar(1));
    const plain = new AdamW(new Map([['w', q]]), { lr: 0.1 });
    plain.step(new Map([['w', g]]));
    expect(q.dataSync()[0]).toBeCloseTo(0.999 - 0.1, 6);
    tf.dispose([p, q, g]);
    opt.dispose();
    plain.dispose();
  });

  for (const fused of [true, false]) {
    it(`lrMultipliers: a group's parameters step exactly as with the lr times its factor (longest prefix wins; fused ${fused})`, () => {
      const init = { 'stack.layers.0.w': [0.5, -1, 2], 'stack.out.w': [1, 1, -3], 'encoder.w': [0.2, 0.3, -0.1] };
      const grads = [[0.3, -0.2, 0.1], [-0.5, 0.4, 0.9]];
      const make = () => new Map(Object.entries(init).map(([n, v]) => [n, tf.variable(tf.tensor1d(v))]));
      const schedule = { kind: 'linear-warmup-decay' as const, peakLr: 0.1, totalSteps: 4, warmupProportion: 0.25 };
      const grouped = make();
      const opt = new AdamW(grouped, { lr: schedule, weightDecay: 0.1, noDecay: [], fused, lrMultipliers: { 'stack.': 0.1, 'stack.out.': 0.5 } });
      // References: one optimizer per factor, each at the schedule times its factor.
      const reference = (factor: number, name: string) => {
        const v = tf.variable(tf.tensor1d(init[name as keyof typeof init]));
        const ref = new AdamW(new Map([[name, v]]), { lr: (step: number) => factor * linearWarmupDecaySchedule(0.1, 4, 0.25)(step), weightDecay: 0.1, noDecay: [], fused });
        return { v, ref };
      };
      const refs = { 'stack.layers.0.w': reference(0.1, 'stack.layers.0.w'), 'stack.out.w': reference(0.5, 'stack.out.w'), 'encoder.w': reference(1, 'encoder.w') };
      for (const g of grads) {
        const gs = new Map(Object.keys(init).map((n) => [n, tf.tensor1d(g)]));
        opt.step(gs);
        for (const [n, { ref }] of Object.entries(refs)) ref.step(new Map([[n, gs.get(n)!]]));
        tf.dispose([...gs.values()]);
      }
      for (const [n, { v, ref }] of Object.entries(refs)) {
        expect(Array.from(grouped.get(n)!.dataSync())).toEqual(Array.from(v.dataSync()));
        ref.dispose();
        v.dispose();
      }
      // The factors matter: the groups moved by different amounts from the same start and gradients.
      expect(Math.abs(grouped.get('stack.layers.0.w')!.dataSync()[0] - 0.5)).toBeLessThan(Math.abs(grouped.get('encoder.w')!.dataSync()[0] - 0.2));
      expect(() => new AdamW(grouped, { lrMultipliers: { 'stack.': -1 } })).toThrow(/lrMultipliers\["stack\."\] must be a finite number >= 0/);
      opt.dispose();
      tf.dispose([...grouped.values()]);
    });
  }

  it('resumes exactly from exported state, also through safetensors bytes', () => {
    const rng = new Rng(3);
    const a = makeParams(rng);
    const options = { lr: linearWarmupDecaySchedule(0.1, 10, 0.2), weightDecay: 0.1 };
    const steps = Array.from({ length: 5 }, (_, k) => gradsFor(rng, k));
    const optA = new AdamW(a.params, options);
    const run = (opt: AdamW, k: number) => {
      const g = toTensors(steps[k]);
      opt.step(g);
      tf.dispose([...g.values()]);
    };
    for (let k = 0; k < 3; k++) run(optA, k);

    // checkpoint: parameters + optimizer state, through the safetensors encoder
    const state = optA.exportState();
    const bytes = encodeSafetensors(state);
    tf.dispose([...state.values()]);
    const restoredState = decodeSafetensors(bytes).tensors;
    const b = new Map([...a.params].map(([n, v]) => [n, tf.variable(v.clone())]));
    const optB = new AdamW(b, options);
    optB.importState(restoredState);
    tf.dispose([...restoredState.values()]);
    expect(optB.stepCount).toBe(3);
    expect(optB.currentLr()).toBe(optA.currentLr());

    for (let k = 3; k < 5; k++) {
      run(optA, k);
      run(optB, k);
    }
    for (const [name, p] of a.params) expect(Array.from(b.get(name)!.dataSync())).toEqual(Array.from(p.dataSync()));
    optA.dispose();
    optB.dispose();
    tf.dispose([...a.params.values(), ...b.values()]);
  });

  it('importState names every problem and changes nothing', () => {
    const w = tf.variable(tf.zeros([2, 2]));
    const opt = new AdamW(new Map([['w', w]]));
    const bad = new Map<string, tf.Tensor>([
      ['exp_avg/w', tf.zeros([3])],
      ['exp_avg/ghost', tf.zeros([1])],
      ['momentum/w', tf.zeros([1])],
      ['step/w', tf.scalar(1, 'int32')],
    ]);
    let message = '';
    try {
      opt.importState(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/missing "global_step"/);
    expect(message).toMatch(/"exp_avg\/w" has shape \[3\], expected \[2,2\]/);
    expect(message).toMatch(/unknown parameter "ghost"/);
    expect(message).toMatch(/unknown key "momentum\/w"/);
    expect(message).toMatch(/"w" lacks "exp_avg\/w", "exp_avg_sq\/w"/);
    expect(opt.stepCount).toBe(0);
    tf.dispose([w, ...bad.values()]);
  });

  it('rejects gradients for unknown parameters or of the wrong shape before touching anything', () => {
    const w = tf.variable(tf.ones([2]));
    const opt = new AdamW(new Map([['w', w]]), { lr: 1 });
    const grads = new Map<string, tf.Tensor>([
      ['w', tf.ones([3])],
      ['nope', tf.ones([1])],
    ]);
    expect(() => opt.step(grads)).toThrow(/unknown parameter "nope".*"w": gradient shape \[3\] != parameter shape \[2\]|"w": gradient shape \[3\].*"nope"/);
    expect(Array.from(w.dataSync())).toEqual([1, 1]);
    expect(opt.stepCount).toBe(0);
    tf.dispose([w, ...grads.values()]);
  });

  it('keeps a constant number of tensors across steps (two moments per parameter)', () => {
    const rng = new Rng(9);
    const { params } = makeParams(rng);
    const before = tf.memory().numTensors;
    const opt = new AdamW(params, { lr: 0.01 });
    const counts: number[] = [];
    for (let k = 0; k < 4; k++) {
      const g = toTensors(gradsFor(rng, 2 * k)); // even steps: every parameter has a gradient
      opt.step(g);
      tf.dispose([...g.values()]);
      counts.push(tf.memory().numTensors - before);
    }
    expect(counts).toEqual([2 * params.size, 2 * params.size, 2 * params.size, 2 * params.size]);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...params.values()]);
  });

  it('builds its schedule from a JSON config and validates hyperparameters', () => {
    const w = tf.variable(tf.zeros([1]));
    const opt = new AdamW(new Map([['w', w]]), { lr: { kind: 'step-decay', lr: 1e-3 } });
    expect(opt.currentLr()).toBe(1e-3);
    expect(() => new AdamW(new Map(), { beta2: 1 })).toThrow(/"beta2"/);
    expect(() => new AdamW(new Map(), { weightDecay: -1 })).toThrow(/"weightDecay"/);
    w.dispose();
  });
});
