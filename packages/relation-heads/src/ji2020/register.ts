import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { Ji2020RelationHead } from './ji2020-relation-head.js';

/**
 * Registers the Ji 2020 relation head as `"ji2020-relation-head.v1"`. Idempotent;
 * runs when `./index.js` is imported, for the process-wide registry.
 */
export function registerJi2020RelationHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [[Ji2020RelationHead.kind, (c) => new Ji2020RelationHead(c)]];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}
