/**
 * `@spanrel/relation-heads`: relation candidates (ordered span pairs with their
 * context masks), relation heads (SpERT, Dixit), decoding and losses. Every
 * head is registered in the `@spanrel/tensor-core` registry on import.
 */
export { allPairs, pairsToBatch, disposePairBatch, type PairBatch, type PairBatchOptions } from './pair-batch.js';
export type { RelationHead, RelationHeadBaseConfig, RelationPrediction } from './relation-head.js';
export { BaseRelationHead, RELATION_HEAD_BASE_FIELDS } from './base-relation-head.js';
export { SpertRelationHead, type SpertRelationHeadConfig } from './spert-relation-head.js';
export { DixitRelationHead, type DixitRelationHeadConfig } from './dixit-relation-head.js';
export { decodeMultiLabel, decodeSoftmax } from './decode-relations.js';
export { relationBinaryCrossEntropy, relationCrossEntropy } from './relation-loss.js';
export { registerRelationHeads } from './register.js';
export * from './ji2020/index.js';
export * from './two-phase/index.js';
export * from './stsn/index.js';

export const PACKAGE_NAME = '@spanrel/relation-heads';
