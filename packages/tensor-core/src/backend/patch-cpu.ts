/**
 * Replaces pure-JS cpu backend kernels that are pathological for training.
 * See `patchCpuForTraining`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { patchTag, replaceKernel } from './kernel-registry.js';
import { installTrainingGradients } from './gradients/index.js';
import { unsortedSegmentSumCpu } from './kernels/unsorted-segment-sum.js';
import { rowCopyKernels } from './kernels/row-copy-kernels.js';
import { maskedMaxPoolKernels } from './kernels/masked-max-pool-kernels.js';
import { ZERO_MASKED_ROWS, zeroMaskedRowsKernel } from './kernels/zero-masked-rows-kernel.js';
import { lstmRecurrenceKernels } from './kernels/lstm-recurrence-kernels.js';
import { cpuStore } from './kernels/value-store.js';

/** Tag carried by every cpu kernel this patch registers. */
export const CPU_PATCH_TAG = 'spanrel.cpu-training.v1';

/** True once `patchCpuForTraining` has run in this process. */
export function isCpuPatched(): boolean {
  return patchTag('UnsortedSegmentSum', 'cpu') === CPU_PATCH_TAG;
}

/**
 * On the `cpu` backend, replaces
 *  - `UnsortedSegmentSum` (the gradient of `tf.gather` / embeddings): the
 *    stock kernel does O(numSegments x rows x width) work through 5 kernel
 *    calls per segment — ~22 s for one embedding gradient of 240 tokens over
 *    5,000 words — the replacement is one O(rows x width) accumulation loop;
 *  - `Slice`, `Unpack`, `SplitV`, `StridedSlice`, `GatherV2`, `Tile`: the stock ones
 *    move non-contiguous data element by element through `TensorBuffer`
 *    (~1 us per element; an LSTM step does hundreds of gate slices and
 *    splits); the replacements copy contiguous runs.
 * Also installs the replacement gradients of `installTrainingGradients`
 * (which keep the stock flagged matMul on cpu). Idempotent; needs
 * `@tensorflow/tfjs-backend-cpu` imported. Returns the names of the kernels
 * and gradients it replaced in this call.
 */
export function patchCpuForTraining(): string[] {
  if (!tf.getKernel('UnsortedSegmentSum', 'cpu')) {
    throw new Error('tensor-core/backend patchCpuForTraining: no cpu kernels are registered; import "@tensorflow/tfjs-backend-cpu" first');
  }
  const changed = installTrainingGradients().map((name) => `${name} (gradient)`);
  if (!isCpuPatched()) {
    const kernels = {
      ...rowCopyKernels('cpu', cpuStore),
      ...maskedMaxPoolKernels(cpuStore),
      [ZERO_MASKED_ROWS]: zeroMaskedRowsKernel(cpuStore),
      ...lstmRecurrenceKernels('cpu', cpuStore),
    };
    for (const [name, kernel] of Object.entries(kernels)) {
      replaceKernel(name, 'cpu', kernel, CPU_PATCH_TAG);
      changed.push(name);
    }
    // Last: isCpuPatched() keys on it, so an interrupted patch is redone.
    replaceKernel('UnsortedSegmentSum', 'cpu', unsortedSegmentSumCpu, CPU_PATCH_TAG);
    changed.push('UnsortedSegmentSum');
  }
  return changed;
}
