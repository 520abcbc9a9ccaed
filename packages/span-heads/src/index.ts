/**
 * `@spanrel/span-heads`: span representations (SpERT, Dixit), entity
 * classifiers, span filtering, and the helpers that pack spans into tensors.
 * Every module is registered in the `@spanrel/tensor-core` registry on import.
 */
export type { SpanHead, SpanHeadBaseConfig, SpanPoolInput } from './span-head.js';
export { BaseSpanHead, SPAN_HEAD_BASE_FIELDS, type SpanHeadDefaults } from './base-span-head.js';
export { checkSpanInputs } from './check-span-inputs.js';
export { SpertSpanHead, type SpertSpanHeadConfig } from './spert-span-head.js';
export { DixitSpanHead, type DixitSpanHeadConfig } from './dixit-span-head.js';
export { checkReps, type EntityClassifier, type EntityClassifierBaseConfig } from './entity-classifier.js';
export { LinearEntityClassifier, type LinearEntityClassifierConfig } from './linear-entity-classifier.js';
export { MlpEntityClassifier, type MlpEntityClassifierConfig } from './mlp-entity-classifier.js';
export { filterSpans, type KeptSpans } from './filter-spans.js';
export { spansToTensor, type SpanTensors } from './spans-to-tensor.js';
export { gatherKeptSpans, type GatheredSpans } from './gather-kept-spans.js';
export { entityCrossEntropy } from './entity-loss.js';
export { registerSpanHeads } from './register.js';
export * from './ji2020/index.js';
export * from './two-phase/index.js';
export * from './stsn/index.js';

export const PACKAGE_NAME = '@spanrel/span-heads';
