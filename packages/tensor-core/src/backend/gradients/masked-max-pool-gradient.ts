/**
 * Gradients of `SpanrelMaskedMaxPool` and `SpanrelRangeMaxPool`: the upstream
 * gradient of each row goes to every kept word whose value is the row's
 * maximum (their `...Grad` kernels); the mask and the ranges get none.
 */
import * as tf from '@tensorflow/tfjs-core';
import { markGradient } from '../kernel-registry.js';
import { MASKED_MAX_POOL, MASKED_MAX_POOL_GRAD, RANGE_MAX_POOL, RANGE_MAX_POOL_GRAD } from '../kernels/masked-max-pool-kernels.js';

export const MASKED_MAX_POOL_GRADIENT_TAG = 'spanrel.masked-max-pool-gradient.v1';

/** The gradient config of one pooling kernel, whose rows come in input `rowsName`. */
function poolGradConfig(kernelName: string, gradKernel: string, rowsName: 'mask' | 'ranges'): tf.GradConfig {
  return markGradient(
    {
      kernelName,
      inputsToSave: ['x', rowsName],
      outputsToSave: [true],
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
        const [x, rows, y] = saved; // [B, T, D], the mask or the ranges, [B, N, D]
        const inputs = { dy: dy as tf.Tensor, x, y, [rowsName]: rows };
        return {
          x: () => tf.engine().runKernel(gradKernel, inputs as unknown as tf.NamedTensorMap, attrs) as tf.Tensor, // [B, T, D]
          [rowsName]: () => tf.zerosLike(rows),
        };
      },
    },
    MASKED_MAX_POOL_GRADIENT_TAG,
  );
}

export const maskedMaxPoolGradConfig = poolGradConfig(MASKED_MAX_POOL, MASKED_MAX_POOL_GRAD, 'mask');
export const rangeMaxPoolGradConfig = poolGradConfig(RANGE_MAX_POOL, RANGE_MAX_POOL_GRAD, 'ranges');
