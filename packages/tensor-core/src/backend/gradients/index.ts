import * as tf from '@tensorflow/tfjs-core';
import { gradientTag } from '../kernel-registry.js';
import { MAT_MUL_GRADIENT_TAG, matMulGradConfig } from './mat-mul-gradient.js';
import { SQUARED_DIFFERENCE_GRADIENT_TAG, squaredDifferenceGradConfig } from './squared-difference-gradient.js';
import { GATHER_ND_GRADIENT_TAG, gatherNdGradConfig } from './gather-nd-gradient.js';
import { MASKED_MAX_POOL_GRADIENT_TAG, maskedMaxPoolGradConfig, rangeMaxPoolGradConfig } from './masked-max-pool-gradient.js';
import { ZERO_MASKED_ROWS_GRADIENT_TAG, zeroMaskedRowsGradConfig } from './zero-masked-rows-gradient.js';

export { reduceToShape } from './mat-mul-gradient.js';

/**
 * Installs spanrel's replacement gradients (global, not per backend):
 * `BatchMatMul` (explicit transposes on wasm, broadcast batch axes summed),
 * `SquaredDifference` (broadcast axes summed), `GatherNd` (missing in
 * tfjs-core; a `scatterND`) and spanrel's own kernels (pooling, zeroing rows). Idempotent; call it again after something
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
    [maskedMaxPoolGradConfig, MASKED_MAX_POOL_GRADIENT_TAG],
    [rangeMaxPoolGradConfig, MASKED_MAX_POOL_GRADIENT_TAG],
    [zeroMaskedRowsGradConfig, ZERO_MASKED_ROWS_GRADIENT_TAG],
  ] as const) {
    if (gradientTag(config.kernelName) === tag) continue;
    // Never shadow a GatherNd gradient that a later tfjs version might ship.
    if (config.kernelName === 'GatherNd' && tf.getGradient('GatherNd') !== undefined) continue;
    tf.registerGradient(config);
    installed.push(config.kernelName);
  }
  return installed;
}
