/**
 * `OneHot` for the wasm backend when the requested dtype is not int32.
 *
 * The stock wasm kernel writes int32 values whatever dtype it was asked for, so
 * `tf.oneHot(indices, depth, 1, 0, 'float32')` on wasm returns the bit pattern
 * of the integer 1 read as a float (1.4e-45) instead of 1.0. Here: int32
 * requests go to the stock kernel; other dtypes are filled in JS straight into
 * the output's wasm heap slice (`offValue` everywhere, `onValue` at each index
 * in `[0, depth)`, as tfjs does).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callStockKernel, type KernelArgs } from '../kernel-registry.js';

export function oneHotWasm({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dtype, depth, onValue, offValue } = attrs as { dtype: tf.DataType; depth: number; onValue: number; offValue: number };
  if (dtype === 'int32') return callStockKernel('OneHot', 'wasm', wasm, inputs, attrs);
  const { indices } = inputs as { indices: tf.TensorInfo };
  const out = wasm.makeOutput([...indices.shape, depth], dtype); // [..., depth]
  // Views taken after the allocation (a heap growth detaches older ones).
  const values = wasm.typedArrayFromHeap(out);
  const ids = wasm.typedArrayFromHeap(indices);
  values.fill(offValue);
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k];
    if (id >= 0 && id < depth) values[k * depth + id] = onValue;
  }
  return out;
}
