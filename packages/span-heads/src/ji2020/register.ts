import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { Ji2020SpanHead } from './ji2020-span-head.js';

/**
 * Registers the Ji 2020 span head as `"ji2020-span-head.v1"`. Idempotent; runs
 * when `./index.js` is imported, for the process-wide registry.
 */
export function registerJi2020SpanHeads(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [[Ji2020SpanHead.kind, (c) => new Ji2020SpanHead(c)]];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}
