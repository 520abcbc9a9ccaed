import { describe, expect, it } from 'vitest';
import { Registry, registry } from '../module/registry.js';
import { registerNnModules } from './index.js';

const NAMES = [
  'additive-attention.v1',
  'attention.v1',
  'dense.v1',
  'dot-product-attention.v1',
  'embedding.v1',
  'ffn.v1',
  'gated-fusion.v1',
  'general-attention.v1',
  'highway.v1',
  'layer-norm.v1',
  'multi-head-attention.v1',
];

describe('registerNnModules', () => {
  it('has registered every layer in the process-wide registry on import', () => {
    for (const name of NAMES) expect(registry.has(name)).toBe(true);
  });

  it('fills a fresh registry with exactly these names and is idempotent', () => {
    const fresh = new Registry();
    registerNnModules(fresh);
    registerNnModules(fresh);
    expect(fresh.names()).toEqual(NAMES);
  });
});
