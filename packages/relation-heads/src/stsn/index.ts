/**
 * STSN's relation decoder (Ji et al., section 3.3). The rest of STSN (attention
 * layers, tagger, label embeddings, span head) is in `@spanrel/span-heads`.
 * Importing this registers `"stsn-relation-head.v1"`.
 */
export { StsnRelationHead, type StsnRelationHeadConfig } from './stsn-relation-head.js';
export { registerStsnRelationHeads } from './register.js';
