/**
 * The two-phase span model (seed 004): the gated-fusion span representation,
 * the phase-one (entity / not entity) and phase-two (entity type) classifiers,
 * the phase-one filter, the losses, and the paper's settings. Importing this
 * registers the modules in the `@spanrel/tensor-core` registry.
 */
export { TwoPhaseSpanHead, type TwoPhaseSpanHeadConfig } from './two-phase-span-head.js';
export { TwoPhaseEntityClassifier, type TwoPhaseEntityClassifierConfig, type EntityPhaseLogits } from './two-phase-entity-classifier.js';
export { entityPhaseOneMask } from './entity-phase-one-mask.js';
export { entityPhaseOneLoss, entityPhaseTwoLoss } from './two-phase-entity-loss.js';
export { combinePhaseLogits } from './combine-phase-logits.js';
export { TWO_PHASE_HYPERPARAMETERS } from './two-phase-hyperparameters.js';
export { registerTwoPhaseSpanModules } from './register.js';
