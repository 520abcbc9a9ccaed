import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { StsnRelationHead } from './stsn-relation-head.js';

/** Registers `"stsn-relation-head.v1"`. Idempotent; runs on import for the process-wide registry. */
export function registerStsnRelationHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [[StsnRelationHead.kind, (c) => new StsnRelationHead(c)]];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerStsnRelationHeads();
