/**
 * Direct access to a backend's tensor storage, so a kernel written in JS can
 * read its inputs and fill its output without copies: the wasm heap through
 * typed-array views, the cpu backend's own arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

/** Typed-array values of a numeric tensor. */
export type Values = Float32Array | Int32Array | Uint8Array;

export interface ValueStore {
  /** A new output tensor of `shape` (contents unspecified until written). */
  allocate(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /**
   * The values of `t`, writable for outputs. On wasm this is a view of the
   * heap, which an allocation may move: take views only after the last `allocate`.
   */
  values(t: tf.TensorInfo): Values;
  /** Releases an output made by `allocate` (e.g. on an error). */
  release(t: tf.TensorInfo): void;
}

export function wasmStore(backend: tf.KernelBackend): ValueStore {
  const wasm = backend as BackendWasm;
  return {
    allocate: (shape, dtype) => wasm.makeOutput(shape, dtype),
    values: (t) => wasm.typedArrayFromHeap(t) as Values,
    release: (t) => void wasm.disposeData(t.dataId),
  };
}

export function cpuStore(backend: tf.KernelBackend): ValueStore {
  const cpu = backend as MathBackendCPU;
  return {
    allocate: (shape, dtype) =>
      cpu.makeTensorInfo(shape, dtype, tf.util.getTypedArrayFromDType(dtype as 'float32', tf.util.sizeFromShape(shape))),
    values: (t) => cpu.readSync(t.dataId) as Values,
    release: (t) => cpu.disposeIntermediateTensorInfo(t),
  };
}
