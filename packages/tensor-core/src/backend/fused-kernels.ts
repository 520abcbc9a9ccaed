/**
 * The process-wide switch between spanrel's fused kernels (e.g. max-pooling
 * by index ranges, `SpanrelMaskedMaxPool`) and the op-by-op compositions of
 * stock tfjs ops they replace. Both give the same numbers (pooling's forward
 * pass bit for bit; gradients and wasm's batched matMul on XNNPACK, which
 * sums in another order, to float rounding); the switch exists so the two can
 * be compared in one process (`pnpm bench:speed`, `spanrel train --no-fused`)
 * and as a way out should a fused kernel misbehave. On backends without the
 * kernels (tfjs-node, webgl) the op-by-op path runs whatever the switch says.
 */
import * as tf from '@tensorflow/tfjs-core';

let fusedKernels = true;

/** Turns the fused kernels on (the default) or off for every later op call. */
export function setFusedKernels(enabled: boolean): void {
  if (typeof enabled !== 'boolean') throw new Error(`setFusedKernels: expected true or false, got ${JSON.stringify(enabled)}`);
  fusedKernels = enabled;
}

/** Whether the fused kernels are switched on (they may still be missing on the active backend). */
export function fusedKernelsEnabled(): boolean {
  return fusedKernels;
}

/** True when the switch is on and `kernelName` is registered for the active backend. */
export function useFusedKernel(kernelName: string): boolean {
  return fusedKernels && tf.getKernel(kernelName, tf.getBackend()) !== undefined;
}
