import { Registry, registry } from '@spanrel/tensor-core';
import { describe, expect, it } from 'vitest';
import { registerTwoPhaseRelationHeads } from './index.js';

describe('registerTwoPhaseRelationHeads', () => {
  it('registers the head on import and is idempotent on a fresh registry', () => {
    expect(registry.has('two-phase-relation-head.v1')).toBe(true);
    const fresh = new Registry();
    registerTwoPhaseRelationHeads(fresh);
    registerTwoPhaseRelationHeads(fresh);
    expect(fresh.names()).toEqual(['two-phase-relation-head.v1']);
  });
});
