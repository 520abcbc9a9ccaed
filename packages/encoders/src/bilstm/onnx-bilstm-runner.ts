import * as tf from '@tensorflow/tfjs-core';
import type { BiLstm } from '@spanrel/tensor-core';
import type { OnnxRuntime } from '../onnx/onnxruntime-module.js';
import { WeightBoundRunner } from '../onnx/weight-bound-runner.js';
import { BILSTM_ONNX_INPUTS, BILSTM_ONNX_OUTPUT, buildBiLstmOnnxModel } from './bilstm-onnx-graph.js';

/**
 * Runs a {@link BiLstm}'s inference forward pass on onnxruntime-node: the
 * stack is exported with its current weights ({@link buildBiLstmOnnxModel})
 * into an in-memory session, rebuilt on the next run after any weight
 * changes. A change is seen as `OnnxBertRunner` sees it: every parameter's
 * data id (a `Variable.assign` gives a new one) and tensor-core's count of
 * in-place parameter writes (the fused AdamW on cpu); `invalidate()` forces a
 * rebuild for any other way of writing weights.
 */
export class OnnxBiLstmRunner extends WeightBoundRunner {
  constructor(
    private readonly bilstm: BiLstm,
    /** The onnxruntime-node the sessions are made with. */
    runtime: OnnxRuntime,
  ) {
    super(runtime, () => bilstm.parameters().values(), () => buildBiLstmOnnxModel(bilstm), { runner: 'onnx-bilstm-runner', graph: 'BiLSTM' });
  }

  /**
   * @param x `[B, T, D]` word representations (0 at padding)
   * @param mask `[B, T]` 1 = real word; real words first in each row
   * @param lengths words per sentence (`B` of them)
   * @param threads threads of the session (a different count rebuilds it)
   * @returns `[B, T, 2H]`, as `BiLstm.apply(x, mask, false)` gives it (to float rounding)
   */
  run(x: tf.Tensor3D, mask: tf.Tensor2D, lengths: Int32Array, threads: number): tf.Tensor3D {
    const [B, T, D] = x.shape;
    const out = this.session(threads).run(
      {
        [BILSTM_ONNX_INPUTS.x]: { data: x.dataSync() as Float32Array, dims: [B, T, D] },
        [BILSTM_ONNX_INPUTS.lengths]: { data: lengths, dims: [B] },
        [BILSTM_ONNX_INPUTS.mask]: { data: mask.dataSync() as Float32Array, dims: [B, T] },
      },
      BILSTM_ONNX_OUTPUT,
    );
    const width = this.bilstm.outputDim;
    if (out.dims.length !== 3 || out.dims[0] !== B || out.dims[1] !== T || out.dims[2] !== width) {
      throw new Error(`onnx-bilstm-runner: the session gave [${out.dims.join(', ')}], expected [${B}, ${T}, ${width}]`);
    }
    return tf.tensor3d(out.data, [B, T, width], 'float32'); // [B, T, 2H]
  }
}
