import { Registry, registry } from '@spanrel/tensor-core';
import { describe, expect, it } from 'vitest';
import { registerTwoPhaseSpanModules } from './index.js';

describe('registerTwoPhaseSpanModules', () => {
  it('registers the span head and the entity classifier on import and is idempotent on a fresh registry', () => {
    for (const name of ['two-phase-span-head.v1', 'two-phase-entity-classifier.v1']) expect(registry.has(name)).toBe(true);
    const fresh = new Registry();
    registerTwoPhaseSpanModules(fresh);
    registerTwoPhaseSpanModules(fresh);
    expect(fresh.names()).toEqual(['two-phase-entity-classifier.v1', 'two-phase-span-head.v1']);
  });
});
