/**
 * Gradient of `BatchMatMul` (every `tf.matMul`) that
 *  - on a wasm backend with the stock `BatchMatMul`, transposes operands
 *    explicitly instead of passing the transpose flags (the flagged stock wasm
 *    matMul is 8-20x slower); spanrel's patched wasm kernel, cpu and
 *    tfjs-node take the flags (kernels/mat-mul-wasm.ts);
 *  - sums the gradient over broadcast batch axes, so `a: [2, 3, 4]` times
 *    `b: [1, 4, 5]` (or `b: [4, 5]`-like batch broadcasting) gets a gradient of
 *    b's own shape. The stock gradient returns `[2, 4, 5]` there and tfjs then
 *    throws "The gradient of input 'b' has shape ...".
 */
import * as tf from '@tensorflow/tfjs-core';
import { markGradient, patchTag } from '../kernel-registry.js';

export const MAT_MUL_GRADIENT_TAG = 'spanrel.matmul-gradient.v1';

/** Swaps the last two axes. */
function transposeLastTwo(x: tf.Tensor): tf.Tensor {
  const rank = x.rank;
  return tf.transpose(x, [...Array(rank - 2).keys(), rank - 1, rank - 2]);
}

/**
 * `op(x) @ op(y)`: matMul flags, except on a wasm backend whose `BatchMatMul`
 * is the stock one, where the transposes are explicit ops. spanrel's wasm
 * kernel (kernels/mat-mul-wasm.ts) takes the flags itself and picks the
 * cheaper way to transpose.
 */
function matMulFast(x: tf.Tensor, y: tf.Tensor, transposeX: boolean, transposeY: boolean): tf.Tensor {
  if (tf.getBackend() !== 'wasm' || patchTag('BatchMatMul', 'wasm') !== undefined) return tf.matMul(x, y, transposeX, transposeY);
  return tf.matMul(transposeX ? transposeLastTwo(x) : x, transposeY ? transposeLastTwo(y) : y);
}

/** Sums `grad` over the axes that were broadcast from `shape` and reshapes it to `shape`. */
export function reduceToShape(grad: tf.Tensor, shape: number[]): tf.Tensor {
  if (tf.util.arraysEqual(grad.shape, shape)) return grad;
  const axes = tf.backend_util.getReductionAxes(shape, grad.shape);
  const summed = axes.length > 0 ? tf.sum(grad, axes) : grad;
  return tf.reshape(summed, shape);
}

export const matMulGradConfig: tf.GradConfig = markGradient(
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs?: tf.NamedAttrMap) => {
      const g = dy as tf.Tensor;
      const [a, b] = saved;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      // Same case table as tfjs-core's BatchMatMul_grad, through matMulFast.
      let da: () => tf.Tensor;
      let db: () => tf.Tensor;
      if (!transposeA && !transposeB) {
        da = () => matMulFast(g, b, false, true);
        db = () => matMulFast(a, g, true, false);
      } else if (!transposeA && transposeB) {
        da = () => matMulFast(g, b, false, false);
        db = () => matMulFast(g, a, true, false);
      } else if (transposeA && !transposeB) {
        da = () => matMulFast(b, g, false, true);
        db = () => matMulFast(a, g, false, false);
      } else {
        da = () => matMulFast(b, g, true, true);
        db = () => matMulFast(g, a, true, true);
      }
      return { a: () => reduceToShape(da(), a.shape), b: () => reduceToShape(db(), b.shape) };
    },
  },
  MAT_MUL_GRADIENT_TAG,
);
