/**
 * Test helpers shared by every spanrel package: a finite-difference gradient
 * checker, seeded random tensors, and a tensor-leak assertion.
 */
export { checkGradients, checkVariableGradients, type GradientCheckOptions, type GradientCheckReport } from './check-gradients.js';
export { distinctRandomTensor, randomIntTensor, randomMask, randomTensor } from './random.js';
export { expectNoLeak } from './expect-no-leak.js';
export { naiveMatMul, relativeToScale } from './naive-mat-mul.js';
