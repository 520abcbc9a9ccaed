import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { TwoPhaseEntityClassifier } from './two-phase-entity-classifier.js';
import { TwoPhaseSpanHead } from './two-phase-span-head.js';

/**
 * Registers the two-phase modules of this package (`"two-phase-span-head.v1"`,
 * `"two-phase-entity-classifier.v1"`). Idempotent; runs on import for the
 * process-wide registry.
 */
export function registerTwoPhaseSpanModules(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [
    [TwoPhaseSpanHead.kind, (c) => new TwoPhaseSpanHead(c)],
    [TwoPhaseEntityClassifier.kind, (c) => new TwoPhaseEntityClassifier(c)],
  ];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerTwoPhaseSpanModules();
