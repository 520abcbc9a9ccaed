/**
 * `BatchMatMul` and `_FusedMatMul` for the wasm backend that never use its
 * transposed code path.
 *
 * The stock wasm matMul is fast (XNNPACK, SIMD) only for plain `a @ b`; with
 * `transposeA` / `transposeB` set it is 8-20x slower than transposing the
 * operand explicitly first (measured: [240,250]x[250,800] 6.9 ms plain, 80 ms
 * with transposeA, 5.6 ms as transpose + plain). Every matMul gradient uses
 * those flags, and so do attention scores `q @ k^T`. These wrappers transpose
 * the flagged operand(s) with the wasm `Transpose` kernel and then call the
 * stock kernel without flags.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callStockKernel, type KernelArgs } from '../kernel-registry.js';

/** Swaps the last two axes of a wasm tensor (caller disposes the result). */
function transposeLastTwo(wasm: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return callStockKernel('Transpose', 'wasm', wasm, { x }, { perm });
}

/** Runs `kernelName` with its `a` / `b` operands pre-transposed and both transpose flags off. */
function withExplicitTransposes(kernelName: string, { inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  if (!transposeA && !transposeB) return callStockKernel(kernelName, 'wasm', wasm, inputs, attrs);
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const temporaries: tf.TensorInfo[] = [];
  const a2 = transposeA ? transposeLastTwo(wasm, a) : a;
  const b2 = transposeB ? transposeLastTwo(wasm, b) : b;
  if (transposeA) temporaries.push(a2);
  if (transposeB) temporaries.push(b2);
  try {
    return callStockKernel(kernelName, 'wasm', wasm, { ...inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
}

export const batchMatMulWasm = (args: KernelArgs): tf.TensorInfo => withExplicitTransposes('BatchMatMul', args);
export const fusedMatMulWasm = (args: KernelArgs): tf.TensorInfo => withExplicitTransposes('_FusedMatMul', args);
