/**
 * Cheaper saving of the tensors a gradient needs.
 *
 * While the tape records, tfjs' engine keeps every tensor a kernel saves for
 * its gradient (and every tensor a custom gradient saves) as a clone: a full
 * `runKernel('Identity')` plus one more tape node per saved tensor. In a dixit
 * training step that is ~40 % of all kernel calls (675 of ~1,700 a sentence),
 * each ~8 us of engine bookkeeping beyond the copy-free `Identity` itself
 * (measured: 25.7 us a clone with the tape on, 7.4 us for the same kernel
 * called directly), and the backward pass walks the extra tape nodes.
 *
 * `installLeanSavedTensors()` replaces the engine's `clone` (which only that
 * saving calls) with a direct call of the backend's `Identity` kernel (on
 * wasm and cpu it shares the data, one more reference) and a tracked tensor
 * for its output, without the tape node. That node matters only to
 * higher-order gradients, where a gradient's own ops read the saved tensor:
 * the lean clone is used at the first tape level only (`gradientDepth` 1,
 * i.e. not inside a gradient being differentiated), so `tf.grad(tf.grad(f))`
 * keeps tfjs' clone where it needs it. Only with the fused kernels on
 * (`setFusedKernels(false)`: tfjs' own clone) and on the wasm and cpu
 * backends. The same values and gradients: the clone is the same kernel.
 */
import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsEnabled } from './fused-kernels.js';

/** What this file reads of tfjs' engine beyond its public type. */
interface EngineInternals {
  backendName: string;
  backend: tf.KernelBackend;
  state: { gradientDepth: number; tensorInfo: { get(dataId: object): { backend: tf.KernelBackend } | undefined } };
  clone(x: tf.Tensor): tf.Tensor;
  makeTensorFromTensorInfo(info: tf.TensorInfo, backend?: tf.KernelBackend): tf.Tensor;
}

const LEAN_MARK = Symbol.for('spanrel.lean-saved-tensors.v1');

/** Whether {@link installLeanSavedTensors} has run on tfjs' engine in this process. */
export function leanSavedTensorsInstalled(): boolean {
  return (tf.engine() as unknown as Record<symbol, unknown>)[LEAN_MARK] === true;
}

/** Installs the lean clone on tfjs' engine (idempotent). */
export function installLeanSavedTensors(): void {
  const engine = tf.engine() as unknown as EngineInternals & Record<symbol, unknown>;
  if (engine[LEAN_MARK] === true) return;
  const stockClone = engine.clone.bind(engine);
  engine.clone = (x: tf.Tensor): tf.Tensor => {
    if (!fusedKernelsEnabled() || engine.state.gradientDepth !== 1 || x.dtype === 'string' || x.dtype === 'complex64') return stockClone(x);
    const name = engine.backendName;
    if (name !== 'wasm' && name !== 'cpu') return stockClone(x);
    const kernel = tf.getKernel('Identity', name);
    // A tensor on another backend would first move, which runKernel does and a direct call does not.
    if (!kernel || engine.state.tensorInfo.get(x.dataId)?.backend !== engine.backend) return stockClone(x);
    const info = kernel.kernelFunc({ inputs: { x }, backend: engine.backend, attrs: {} }) as tf.TensorInfo;
    return engine.makeTensorFromTensorInfo(info);
  };
  engine[LEAN_MARK] = true;
}
