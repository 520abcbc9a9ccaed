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
