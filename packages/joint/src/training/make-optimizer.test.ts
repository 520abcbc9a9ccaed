import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@spanrel/tensor-core';
import { checkSpec } from '../config/check-spec.js';
import { resolveSpec } from '../config/resolve-spec.js';
import { makeOptimizer } from './make-optimizer.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('training.optimizer.fused', () => {
  it('is on unless the spec says false, and reaches the optimizer', () => {
    const params = new Map([['w', tf.variable(tf.ones([2]))]]);
    const spec = resolveSpec('spert');
    expect(spec.training.optimizer.fused).toBeUndefined();
    expect(makeOptimizer(params, spec.training.optimizer, 10).fused).toBe(true);
    const off = resolveSpec('spert', { overrides: { training: { optimizer: { fused: false } } } });
    checkSpec(off);
    const opt = makeOptimizer(params, off.training.optimizer, 10);
    expect(opt.fused).toBe(false);
    expect(opt.usesFusedPath()).toBe(false);
    expect(makeOptimizer(params, { ...off.training.optimizer, fused: true }, 10).usesFusedPath()).toBe(true);
    params.get('w')!.dispose();
  });

  it('must be a boolean', () => {
    const bad = structuredClone(resolveSpec('dixit')) as unknown as { training: { optimizer: Record<string, unknown> } };
    bad.training.optimizer.fused = 'yes';
    expect(() => checkSpec(bad)).toThrow(/training\.optimizer\.fused/);
  });
});

describe('training.optimizer.lrMultipliers', () => {
  it('reaches the optimizer: a group steps at the schedule times its factor', () => {
    const make = () => new Map([['tokenInteraction.w', tf.variable(tf.ones([2]))], ['encoder.w', tf.variable(tf.ones([2]))]]);
    const spec = { ...resolveSpec('spert').training.optimizer, lrMultipliers: { 'tokenInteraction.': 0.1 } };
    const grouped = make();
    const plain = make();
    const grads = () => new Map([['tokenInteraction.w', tf.tensor1d([1, -1])], ['encoder.w', tf.tensor1d([1, -1])]]);
    const g1 = grads();
    const g2 = grads();
    const [a, b] = [makeOptimizer(grouped, spec, 10), makeOptimizer(plain, { ...spec, lrMultipliers: undefined }, 10)];
    for (let i = 0; i < 3; i++) {
      a.step(g1);
      b.step(g2);
    }
    const moved = (m: Map<string, tf.Variable>, n: string) => 1 - m.get(n)!.dataSync()[0];
    expect(moved(plain, 'encoder.w')).toBeGreaterThan(1e-4);
    expect(moved(grouped, 'encoder.w')).toBeCloseTo(moved(plain, 'encoder.w'), 7);
    expect(moved(grouped, 'tokenInteraction.w')).toBeCloseTo(0.1 * moved(plain, 'tokenInteraction.w'), 7);
    tf.dispose([...g1.values(), ...g2.values(), ...grouped.values(), ...plain.values()]);
  });

  it('must map name prefixes to numbers >= 0, naming the bad entry', () => {
    const bad = structuredClone(resolveSpec('stsn')) as unknown as { training: { optimizer: Record<string, unknown> } };
    bad.training.optimizer.lrMultipliers = { 'tokenInteraction.': -0.5 };
    expect(() => checkSpec(bad)).toThrow(/training\.optimizer\.lrMultipliers\["tokenInteraction\."\] must be a finite number >= 0, got -0\.5/);
    bad.training.optimizer.lrMultipliers = [0.1];
    expect(() => checkSpec(bad)).toThrow(/training\.optimizer\.lrMultipliers must be an object/);
  });
});
