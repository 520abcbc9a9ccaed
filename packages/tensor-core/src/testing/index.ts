/**
 * Test helpers shared by every spanrel package: a finite-difference gradient
 * checker, seeded random tensors, a tensor-leak assertion, and naive
 * (plain-JS) matMuls and layers to compare kernels and heads with.
 */
export { checkGradients, checkVariableGradients, type GradientCheckOptions, type GradientCheckReport } from './check-gradients.js';
export { distinctRandomTensor, randomIntTensor, randomMask, randomTensor } from './random.js';
export { expectNoLeak } from './expect-no-leak.js';
export { naiveMatMul, relativeToScale } from './naive-mat-mul.js';
export { maxAbsDiff, naiveDense, naiveMlp, naiveSoftmax, randomSpans } from './naive-layers.js';
