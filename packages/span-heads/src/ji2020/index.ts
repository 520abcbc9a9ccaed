/**
 * Ji et al. 2020 (COLING): the span head with attention-based span-specific and
 * sentence-level representations, its attention building block, and the paper's
 * hyper-parameters. Importing this module registers `"ji2020-span-head.v1"`.
 */
import { registerJi2020SpanHeads } from './register.js';

export { Ji2020SpanHead, type Ji2020SpanHeadConfig } from './ji2020-span-head.js';
export {
  Ji2020ContextAttention,
  JI2020_ATTENTION_FIELDS,
  resolveJi2020AttentionFields,
  type Ji2020AttentionFields,
  type Ji2020ContextAttentionConfig,
  type ResolvedJi2020AttentionFields,
} from './ji2020-context-attention.js';
export { sentenceStates } from './sentence-states.js';
export { JI2020_HYPERPARAMETERS, type Ji2020Hyperparameters } from './hyperparameters.js';
export { registerJi2020SpanHeads } from './register.js';

registerJi2020SpanHeads();
