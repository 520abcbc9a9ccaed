/**
 * Makes the wasm backend training-ready: registers the gradient kernels it
 * lacks and replaces its slow transposed matMul. See `patchWasmForTraining`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { patchTag, replaceKernel } from './kernel-registry.js';
import { installTrainingGradients } from './gradients/index.js';
import { unsortedSegmentSumWasm } from './kernels/unsorted-segment-sum.js';
import { conv2dBackpropFilterWasm } from './kernels/conv2d-backprop-filter-wasm.js';
import { batchMatMulWasm, fusedMatMulWasm } from './kernels/mat-mul-wasm.js';
import { identitySharedWasm } from './kernels/identity-shared-wasm.js';
import { oneHotWasm } from './kernels/one-hot-wasm.js';
import { rowCopyKernels } from './kernels/row-copy-kernels.js';
import { maskedMaxPoolKernels } from './kernels/masked-max-pool-kernels.js';
import { ZERO_MASKED_ROWS, zeroMaskedRowsKernel } from './kernels/zero-masked-rows-kernel.js';
import { lstmRecurrenceKernels } from './kernels/lstm-recurrence-kernels.js';
import { wasmStore } from './kernels/value-store.js';
import { forwardToCpu, kernelsMissingOnWasm } from './kernels/cpu-fallback-wasm.js';

/** Tag carried by every wasm kernel this patch registers. */
export const WASM_PATCH_TAG = 'spanrel.wasm-training.v1';

/** What `patchWasmForTraining` did. */
export interface WasmPatchReport {
  /** Kernels implemented for wasm here (fast paths). */
  implemented: string[];
  /** Stock wasm kernels replaced or wrapped (matMul without transpose flags, float OneHot, copy-free slicing, gather). */
  replaced: string[];
  /** Kernels wasm lacks that now run the cpu kernel through a copy. */
  forwardedToCpu: string[];
  /** Gradients (re)registered by this call. */
  gradients: string[];
  /** False when everything was already in place (a repeated call). */
  changed: boolean;
}

/** True once `patchWasmForTraining` has run in this process. */
export function isWasmPatched(): boolean {
  return patchTag('UnsortedSegmentSum', 'wasm') === WASM_PATCH_TAG;
}

/**
 * Registers on the `wasm` backend what training needs and the stock backend
 * lacks or does slowly:
 *  - `UnsortedSegmentSum` (gradient of `tf.gather`, i.e. of embeddings): one
 *    accumulation pass straight into the wasm heap;
 *  - `Conv2DBackpropFilter` (filter gradient of `tf.conv1d` / `tf.conv2d`):
 *    im2col from stock wasm kernels plus one matMul;
 *  - `BatchMatMul` / `_FusedMatMul`: the transpose flags become explicit
 *    `Transpose` kernels (the flagged wasm path is 8-20x slower);
 *  - `OneHot` with a non-int32 dtype (the stock kernel writes int32 bits into
 *    a float32 output: `tf.oneHot(i, n, 1, 0, 'float32')` gives 1.4e-45, not 1);
 *  - `Slice`, `Unpack`, `SplitV`, `StridedSlice`: the stock `Slice` copies its
 *    whole input out of the heap first, so `tf.unstack` of a sequence is
 *    O(T^2); these read through a heap view;
 *  - `GatherV2`: row runs copied with `TypedArray.set` instead of the stock
 *    element-by-element C++ loop;
 *  - `Tile` (`tf.broadcastTo`): each input row copied once, repeats as block
 *    copies (`copyWithin`);
 *  - `Identity` (`tf.clone`, which tfjs runs on every tensor a kernel saves for
 *    its gradient): shares the input's data with a reference count, as the cpu
 *    backend does, instead of copying it;
 *  - every other kernel registered for cpu but missing on wasm (depthwise-conv
 *    gradients, `Einsum`, ragged ops): runs the cpu kernel through a copy;
 *  - the `BatchMatMul` / `SquaredDifference` / `GatherNd` gradients of
 *    `installTrainingGradients` (global).
 * Idempotent. Needs the wasm kernels registered, i.e. `@tensorflow/tfjs-backend-wasm`
 * imported (`initBackend` does that); the backend itself may or may not be
 * initialised yet.
 */
export function patchWasmForTraining(): WasmPatchReport {
  if (!tf.getKernel('BatchMatMul', 'wasm')) {
    throw new Error(
      'tensor-core/backend patchWasmForTraining: no wasm kernels are registered; ' +
        'import "@tensorflow/tfjs-backend-wasm" or call initBackend({ backend: "wasm" }) first',
    );
  }
  const gradients = installTrainingGradients();
  if (isWasmPatched()) return { implemented: [], replaced: [], forwardedToCpu: [], gradients, changed: gradients.length > 0 };

  // Computed before registering anything, so it lists only what wasm really lacks.
  const forwarded = kernelsMissingOnWasm().filter((name) => name !== 'UnsortedSegmentSum' && name !== 'Conv2DBackpropFilter');
  replaceKernel('BatchMatMul', 'wasm', batchMatMulWasm, WASM_PATCH_TAG);
  replaceKernel('_FusedMatMul', 'wasm', fusedMatMulWasm, WASM_PATCH_TAG);
  replaceKernel('OneHot', 'wasm', oneHotWasm, WASM_PATCH_TAG);
  replaceKernel('Identity', 'wasm', identitySharedWasm, WASM_PATCH_TAG);
  for (const [name, kernel] of Object.entries(rowCopyKernels('wasm', wasmStore))) replaceKernel(name, 'wasm', kernel, WASM_PATCH_TAG);
  const ownKernels = {
    ...maskedMaxPoolKernels(wasmStore),
    [ZERO_MASKED_ROWS]: zeroMaskedRowsKernel(wasmStore),
    ...lstmRecurrenceKernels('wasm', wasmStore),
  };
  for (const [name, kernel] of Object.entries(ownKernels)) replaceKernel(name, 'wasm', kernel, WASM_PATCH_TAG);
  replaceKernel('Conv2DBackpropFilter', 'wasm', conv2dBackpropFilterWasm, WASM_PATCH_TAG);
  for (const name of forwarded) replaceKernel(name, 'wasm', forwardToCpu(name), WASM_PATCH_TAG);
  // Last: isWasmPatched() keys on it, so an interrupted patch is redone.
  replaceKernel('UnsortedSegmentSum', 'wasm', unsortedSegmentSumWasm, WASM_PATCH_TAG);
  return {
    implemented: ['Conv2DBackpropFilter', 'UnsortedSegmentSum', ...Object.keys(ownKernels)],
    replaced: ['BatchMatMul', '_FusedMatMul', 'OneHot', 'Identity', 'Slice', 'Unpack', 'SplitV', 'StridedSlice', 'GatherV2', 'Tile'],
    forwardedToCpu: forwarded,
    gradients,
    changed: true,
  };
}
