/**
 * Ji et al. 2020 (COLING): the relation head with attention-based local and
 * sentence-level context. Importing this module registers `"ji2020-relation-head.v1"`.
 */
import { registerJi2020RelationHeads } from './register.js';

export { Ji2020RelationHead, type Ji2020RelationHeadConfig, type Ji2020RelationActivation } from './ji2020-relation-head.js';
export { registerJi2020RelationHeads } from './register.js';

registerJi2020RelationHeads();
