import { registry, type Module, type Registry } from '@spanrel/tensor-core';
import { StsnAttentionLayer } from './stsn-attention-layer.js';
import { StsnAttentionUnit } from './stsn-attention-unit.js';
import { StsnSpanHead } from './stsn-span-head.js';
import { StsnTagger } from './stsn-tagger.js';
import { StsnTokenInteraction } from './stsn-token-interaction.js';

/**
 * Registers STSN's modules under their versioned names (`"stsn-attention-unit.v1"`,
 * `"stsn-attention-layer.v1"`, `"stsn-token-interaction.v1"`, `"stsn-tagger.v1"`,
 * `"stsn-span-head.v1"`). Idempotent; runs on import for the process-wide registry.
 */
export function registerStsnSpanModules(target: Registry = registry): void {
  const entries: [string, (config: any) => Module][] = [
    [StsnAttentionUnit.kind, (c) => new StsnAttentionUnit(c)],
    [StsnAttentionLayer.kind, (c) => new StsnAttentionLayer(c)],
    [StsnTokenInteraction.kind, (c) => new StsnTokenInteraction(c)],
    [StsnTagger.kind, (c) => new StsnTagger(c)],
    [StsnSpanHead.kind, (c) => new StsnSpanHead(c)],
  ];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerStsnSpanModules();
