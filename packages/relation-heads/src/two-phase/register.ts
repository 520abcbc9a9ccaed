import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { TwoPhaseRelationHead } from './two-phase-relation-head.js';

/**
 * Registers the two-phase relation head (`"two-phase-relation-head.v1"`).
 * Idempotent; runs on import for the process-wide registry.
 */
export function registerTwoPhaseRelationHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [[TwoPhaseRelationHead.kind, (c) => new TwoPhaseRelationHead(c)]];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerTwoPhaseRelationHeads();
