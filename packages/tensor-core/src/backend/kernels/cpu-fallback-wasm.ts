/**
 * A wasm kernel that runs the cpu backend's kernel of the same name: copy the
 * inputs out of the wasm heap, run the cpu kernel, copy the outputs back.
 *
 * Used for the kernels the wasm backend lacks and spanrel does not hot-path
 * (the depthwise-conv gradients, `Einsum`, the ragged ops), so that no op that
 * works on cpu fails on wasm. The two copies are cheap next to the cpu kernel
 * itself; kernels that matter for speed get a real wasm implementation instead
 * (see unsorted-segment-sum.ts, conv2d-backprop-filter-wasm.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { KernelArgs, KernelFunc } from '../kernel-registry.js';

/** Kernels the wasm backend lacks that a round trip cannot serve (complex / string dtypes, canvas drawing). */
export const NOT_FORWARDABLE = new Set(['Complex', 'ComplexAbs', 'FFT', 'IFFT', 'Imag', 'Real', 'Draw', 'StaticRegexReplace']);

const FORWARDABLE_DTYPES = new Set(['float32', 'int32', 'bool']);

function cpuBackend(): MathBackendCPU {
  const cpu = tf.engine().findBackend('cpu') as MathBackendCPU | null;
  if (!cpu) throw new Error('tensor-core/backend: the cpu backend is not registered (import "@tensorflow/tfjs-backend-cpu")');
  return cpu;
}

/** A wasm kernel function that forwards `kernelName` to the cpu backend. */
export function forwardToCpu(kernelName: string): KernelFunc {
  const forwarded = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const wasm = backend as BackendWasm;
    const cpu = cpuBackend();
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (!cpuKernel) throw new Error(`tensor-core/backend: kernel "${kernelName}" exists on neither wasm nor cpu`);
    const toCpu = (t: tf.TensorInfo | undefined): tf.TensorInfo | undefined => {
      if (t == null) return t;
      if (!FORWARDABLE_DTYPES.has(t.dtype)) {
        throw new Error(`tensor-core/backend: cannot forward "${kernelName}" with a ${t.dtype} input from wasm to cpu`);
      }
      return cpu.makeTensorInfo(t.shape, t.dtype, wasm.readSync(t.dataId)); // readSync copies out of the heap
    };
    // Multi-input kernels (Einsum, Concat-like) get their inputs as an array.
    const cpuInputs = Array.isArray(inputs)
      ? (inputs as tf.TensorInfo[]).map(toCpu)
      : Object.fromEntries(Object.entries(inputs).map(([name, t]) => [name, toCpu(t as tf.TensorInfo | undefined)]));
    const cpuOut = cpuKernel.kernelFunc({ inputs: cpuInputs as unknown as tf.NamedTensorInfoMap, backend: cpu as {}, attrs });
    const outs = Array.isArray(cpuOut) ? cpuOut : [cpuOut];
    const results = outs.map((o) => wasm.makeOutput(o.shape, o.dtype, undefined, cpu.readSync(o.dataId)));
    for (const t of [...Object.values(cpuInputs), ...outs]) {
      if (t) cpu.disposeIntermediateTensorInfo(t as tf.TensorInfo);
    }
    return Array.isArray(cpuOut) ? results : results[0];
  };
  return forwarded;
}

/** Names of kernels registered for cpu but not for wasm that a round trip can serve. */
export function kernelsMissingOnWasm(): string[] {
  const onWasm = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  return tf
    .getKernelsForBackend('cpu')
    .map((k) => k.kernelName)
    .filter((name) => !onWasm.has(name) && !NOT_FORWARDABLE.has(name))
    .sort();
}
