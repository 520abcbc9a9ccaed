/**
 * `Identity` for the wasm backend that shares its input's data (one more
 * reference, as wasm's own `Reshape` and the cpu backend's `Identity` do)
 * instead of copying it.
 *
 * While training, tfjs clones every tensor a kernel saves for its gradient
 * (`tf.clone` = `Identity`), so the stock kernel copied each saved activation
 * once more: ~1,000 copies a ji2020 training step, 10 % of its kernel time.
 * Tensors are immutable; spanrel's only in-place writers (fused AdamW's
 * moments, parameters on cpu) check the reference count first and take a new
 * buffer when the data is shared.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callStockKernel, type KernelArgs } from '../kernel-registry.js';

export function identitySharedWasm({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { x } = inputs as { x: tf.TensorInfo };
  if (x.dtype === 'string') return callStockKernel('Identity', 'wasm', backend as BackendWasm, inputs, {}); // strings live outside the heap
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
