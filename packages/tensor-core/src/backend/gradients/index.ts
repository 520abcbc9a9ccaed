import * as tf from '@tensorflow/tfjs-core';
import { gradientTag } from '../kernel-registry.js';
import { MAT_MUL_GRADIENT_TAG, matMulGradConfig } from './mat-mul-gradient.js';
import { SQUARED_DIFFERENCE_GRADIENT_TAG, squaredDifferenceGradConfig } from './squared-difference-gradient.js';
import { GATHER_ND_GRADIENT_TAG, gatherNdGradConfig } from './gather-nd-gradient.js';

export { reduceToShape } from './mat-mul-gradient.js';

/**
 * Installs spanrel's replacement gradients (global, not per backend):
 * `BatchMatMul` (explicit transposes on wasm, broadcast batch axes summed),
 * `SquaredDifference` (broadcast axes summed) and `GatherNd` (missing in
 * tfjs-core; a `scatterND`). Idempotent; call it again after something
 * re-registers tfjs' stock gradients (loading `@tensorflow/tfjs-node`
 * does, through `@tensorflow/tfjs`). Returns the names of the gradients it
 * (re)installed.
 */
export function installTrainingGradients(): string[] {
  const installed: string[] = [];
  for (const [config, tag] of [
    [matMulGradConfig, MAT_MUL_GRADIENT_TAG],
    [squaredDifferenceGradConfig, SQUARED_DIFFERENCE_GRADIENT_TAG],
    [gatherNdGradConfig, GATHER_ND_GRADIENT_TAG],
  ] as const) {
    if (gradientTag(config.kernelName) === tag) continue;
    // Never shadow a GatherNd gradient that a later tfjs version might ship.
    if (config.kernelName === 'GatherNd' && tf.getGradient('GatherNd') !== undefined) continue;
    tf.registerGradient(config);
    installed.push(config.kernelName);
  }
  return installed;
}
