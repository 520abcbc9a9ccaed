import type { Module } from '../module/module.js';
import { registry, type Registry } from '../module/registry.js';
import { AdditiveAttention } from './attention/additive-attention.js';
import { buildAttention } from './attention/build-attention.js';
import { DotProductAttention } from './attention/dot-product-attention.js';
import { GeneralAttention } from './attention/general-attention.js';
import { MultiHeadAttention } from './attention/multi-head-attention.js';
import { Dense } from './dense.js';
import { Embedding } from './embedding.js';
import { FeedForward } from './ffn.js';
import { GatedFusion } from './gated-fusion.js';
import { Highway } from './highway.js';
import { LayerNorm } from './layer-norm.js';

/**
 * Registers every layer of `src/nn` under its versioned name. Idempotent (names
 * already present are skipped), and run on import for the process-wide registry.
 */
export function registerNnModules(target: Registry = registry): void {
  // Configs arrive as untyped JSON; each constructor validates its own fields.
  const entries: [string, (config: any) => Module][] = [
    [Dense.kind, (c) => new Dense(c)],
    [FeedForward.kind, (c) => new FeedForward(c)],
    [LayerNorm.kind, (c) => new LayerNorm(c)],
    [Embedding.kind, (c) => new Embedding(c)],
    [Highway.kind, (c) => new Highway(c)],
    [MultiHeadAttention.kind, (c) => new MultiHeadAttention(c)],
    [AdditiveAttention.kind, (c) => new AdditiveAttention(c)],
    [DotProductAttention.kind, (c) => new DotProductAttention(c)],
    [GeneralAttention.kind, (c) => new GeneralAttention(c)],
    ['attention.v1', (c) => buildAttention(c)],
    [GatedFusion.kind, (c) => new GatedFusion(c)],
  ];
  for (const [name, factory] of entries) if (!target.has(name)) target.register(name, factory);
}

registerNnModules();
