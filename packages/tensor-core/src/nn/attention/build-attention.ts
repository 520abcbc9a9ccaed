import { AdditiveAttention, type AdditiveAttentionConfig } from './additive-attention.js';
import { ATTENTION_VARIANTS, type Attention } from './attention.js';
import { DotProductAttention, type DotProductAttentionConfig } from './dot-product-attention.js';
import { GeneralAttention, type GeneralAttentionConfig } from './general-attention.js';
import { MultiHeadAttention, type MultiHeadAttentionConfig } from './multi-head-attention.js';

/** Any attention config, told apart by `variant` (what `"attention.v1"` builds from). */
export type AttentionConfig =
  | (MultiHeadAttentionConfig & { variant: 'multi-head' })
  | (AdditiveAttentionConfig & { variant: 'additive' })
  | (DotProductAttentionConfig & { variant: 'dot-product' })
  | (GeneralAttentionConfig & { variant: 'general' });

/**
 * Builds the attention variant named by `config.variant` — the `"attention.v1"`
 * registry entry, so a model config can switch variants (Ji et al. 2020, Table 2)
 * by changing one field. Every variant's `config()` carries its `variant`, so it
 * rebuilds through either `"attention.v1"` or its own registry name.
 */
export function buildAttention(config: AttentionConfig): Attention {
  switch (config.variant) {
    case 'multi-head':
      return new MultiHeadAttention(config);
    case 'additive':
      return new AdditiveAttention(config);
    case 'dot-product':
      return new DotProductAttention(config);
    case 'general':
      return new GeneralAttention(config);
    default:
      throw new Error(
        `attention.v1: config.variant must be one of ${ATTENTION_VARIANTS.join(', ')}, got ${JSON.stringify((config as { variant?: unknown }).variant)}`,
      );
  }
}
