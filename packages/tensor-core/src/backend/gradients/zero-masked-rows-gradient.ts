/** Gradient of `SpanrelZeroMaskedRows`: `dy` with the same rows zeroed (the kernel again); none for the mask. */
import * as tf from '@tensorflow/tfjs-core';
import { markGradient } from '../kernel-registry.js';
import { ZERO_MASKED_ROWS } from '../kernels/zero-masked-rows-kernel.js';

export const ZERO_MASKED_ROWS_GRADIENT_TAG = 'spanrel.zero-masked-rows-gradient.v1';

export const zeroMaskedRowsGradConfig: tf.GradConfig = markGradient(
  {
    kernelName: ZERO_MASKED_ROWS,
    inputsToSave: ['mask'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [mask] = saved; // x's shape without its last axis
      return {
        x: () => tf.engine().runKernel(ZERO_MASKED_ROWS, { x: dy as tf.Tensor, mask }) as tf.Tensor, // x's shape
        mask: () => tf.zerosLike(mask),
      };
    },
  },
  ZERO_MASKED_ROWS_GRADIENT_TAG,
);
