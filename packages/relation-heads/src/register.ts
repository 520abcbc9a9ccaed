import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { DixitRelationHead } from './dixit-relation-head.js';
import { SpertRelationHead } from './spert-relation-head.js';

/**
 * Registers the relation heads of this package under their versioned names
 * (`"spert-relation-head.v1"`, `"dixit-relation-head.v1"`). Idempotent; runs on
 * import for the process-wide registry.
 */
export function registerRelationHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [
    [SpertRelationHead.kind, (c) => new SpertRelationHead(c)],
    [DixitRelationHead.kind, (c) => new DixitRelationHead(c)],
  ];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerRelationHeads();
