/**
 * STSN (Ji et al., "Boosting Span-based Joint Entity and Relation Extraction via
 * Sequence Tagging Mechanism"): the stacked label / entity / relation attention
 * layers, the BIO tagger with label embeddings, the span decoder, the losses and
 * the paper's hyperparameters. The relation decoder is `StsnRelationHead` in
 * `@spanrel/relation-heads`. Importing this registers the modules.
 */
export { StsnAttentionUnit, type StsnAttentionUnitConfig } from './stsn-attention-unit.js';
export { StsnAttentionLayer, type StsnAttentionLayerConfig, type StsnViews } from './stsn-attention-layer.js';
export { StsnTokenInteraction, type StsnTokenInteractionConfig } from './stsn-token-interaction.js';
export { TagVocabulary, isBioTag, type TagVocabularyJson } from './tag-vocabulary.js';
export { StsnTagger, type StsnTaggerConfig } from './stsn-tagger.js';
export { StsnSpanHead, type StsnSpanHeadConfig } from './stsn-span-head.js';
export { stsnJointLoss, tagCrossEntropy, type StsnLosses } from './stsn-loss.js';
export { STSN_HYPERPARAMETERS } from './stsn-hyperparameters.js';
export { registerStsnSpanModules } from './register.js';
