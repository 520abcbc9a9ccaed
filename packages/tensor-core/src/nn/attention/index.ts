export { ATTENTION_VARIANTS, type Attention, type AttentionBaseConfig, type AttentionVariant } from './attention.js';
export { attendOverValues, prepareAttentionInputs, queryHasKey } from './attend.js';
export { SingleHeadAttention, type ResolvedSingleHeadConfig, type SingleHeadAttentionConfig } from './single-head-attention.js';
export { MultiHeadAttention, type MultiHeadAttentionConfig, type ResolvedMultiHeadConfig } from './multi-head-attention.js';
export { AdditiveAttention, type AdditiveAttentionConfig } from './additive-attention.js';
export { DotProductAttention, type DotProductAttentionConfig } from './dot-product-attention.js';
export { GeneralAttention, type GeneralAttentionConfig } from './general-attention.js';
export { buildAttention, type AttentionConfig } from './build-attention.js';
