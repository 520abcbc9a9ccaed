/**
 * Differentiable, batched, masked building blocks (one op per file). Every op
 * documents its shapes and what a fully masked row gives.
 */
export { MIN_FLOAT32, alignMask, normalizeAxis, toBoolMask, toFloatMask } from './mask-utils.js';
export { reduceMax } from './reduce-max.js';
export { stopGradient, withoutGradient } from './stop-gradient.js';
export { maskedMax } from './masked-max.js';
export { maskedMean } from './masked-mean.js';
export { maskedSoftmax } from './masked-softmax.js';
export { batchedIndexSelect, flattenAndBatchShiftIndices } from './batched-index-select.js';
export { batchedSpanSelect, type SpanSelection } from './batched-span-select.js';
export { pairGather, type PairSelection } from './pair-gather.js';
export { betweenSpanBoundsMask, betweenSpansMask } from './between-spans-mask.js';
export { dropout } from './dropout.js';
export { layerNorm } from './layer-norm.js';
export { ACTIVATIONS, activate, gelu, isActivationName, type ActivationName } from './activation.js';
export { zeroMaskedRows } from './zero-masked-rows.js';
export { maskedCrossEntropy, type LossReduction } from './masked-cross-entropy.js';
export { maskedMaxPool, spanMaxPool } from './masked-max-pool.js';
export { tidyValues } from './tidy-values.js';
