/**
 * The relation side of the two-phase span model (seed 004): the two-phase
 * relation head with its global features (distance; type x type x distance)
 * and gated fusion, the phase-one filter and the losses. Importing this
 * registers the head in the `@spanrel/tensor-core` registry.
 */
export { TwoPhaseRelationHead, type TwoPhaseRelationHeadConfig, type RelationPhaseLogits } from './two-phase-relation-head.js';
export { pairDistance } from './pair-distance.js';
export { typeDistanceIds } from './type-distance-ids.js';
export { relationPhaseOneMask } from './relation-phase-one-mask.js';
export { relationPhaseOneLoss, relationPhaseTwoLoss } from './two-phase-relation-loss.js';
export { registerTwoPhaseRelationHeads } from './register.js';
