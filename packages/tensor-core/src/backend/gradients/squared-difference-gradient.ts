/**
 * Gradient of `SquaredDifference` (`tf.squaredDifference(a, b)`) that sums over
 * broadcast axes. The stock one returns the broadcast shape for both inputs, so
 * `squaredDifference(x [B, D], mean [1, D])` fails in backprop with "The
 * gradient of input 'b' has shape ...". Same values otherwise: 2(a-b)dy, 2(b-a)dy.
 */
import * as tf from '@tensorflow/tfjs-core';
import { markGradient } from '../kernel-registry.js';
import { reduceToShape } from './mat-mul-gradient.js';

export const SQUARED_DIFFERENCE_GRADIENT_TAG = 'spanrel.squared-difference-gradient.v1';

export const squaredDifferenceGradConfig: tf.GradConfig = markGradient(
  {
    kernelName: 'SquaredDifference',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const g = dy as tf.Tensor;
      const [a, b] = saved;
      const twiceDiff = () => tf.mul(g, tf.mul(tf.scalar(2), tf.sub(a, b))); // broadcast shape
      return {
        a: () => reduceToShape(twiceDiff(), a.shape),
        b: () => reduceToShape(tf.neg(twiceDiff()), b.shape),
      };
    },
  },
  SQUARED_DIFFERENCE_GRADIENT_TAG,
);
