/**
 * Gradient of `GatherNd` (`tf.gatherND`), which tfjs-core 4.22 does not ship
 * on any backend ("gradient function not found for GatherNd"). The gradient
 * of gathering rows is scattering the upstream gradient back to them, summing
 * duplicates: `tf.scatterND(indices, dy, params.shape)` (the `ScatterNd`
 * kernel, present on cpu, wasm and tfjs-node, accumulates repeated indices).
 */
import * as tf from '@tensorflow/tfjs-core';
import { markGradient } from '../kernel-registry.js';

export const GATHER_ND_GRADIENT_TAG = 'spanrel.gather-nd-gradient.v1';

export const gatherNdGradConfig: tf.GradConfig = markGradient(
  {
    kernelName: 'GatherNd',
    inputsToSave: ['params', 'indices'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [params, indices] = saved;
      return {
        params: () => tf.scatterND(indices, dy as tf.Tensor, params.shape),
        // Integer indices get no gradient; tfjs wants a float32 tensor of their shape.
        indices: () => tf.zeros(indices.shape, 'float32'),
      };
    },
  },
  GATHER_ND_GRADIENT_TAG,
);
