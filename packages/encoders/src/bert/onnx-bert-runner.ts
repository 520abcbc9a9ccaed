import * as tf from '@tensorflow/tfjs-core';
import type { OnnxRuntime } from '../onnx/onnxruntime-module.js';
import { WeightBoundRunner } from '../onnx/weight-bound-runner.js';
import type { BertModel } from './bert-model.js';
import { buildBertOnnxModel, BERT_ONNX_OUTPUT } from './bert-onnx-graph.js';

/**
 * Runs a {@link BertModel}'s inference forward pass on onnxruntime-node: the
 * model is exported with its current weights ({@link buildBertOnnxModel}) into
 * an in-memory session, rebuilt on the next run after any weight changes.
 *
 * A change is seen without being told: every parameter's data id is compared
 * with the one the session was built from (`Variable.assign`, which optimizers,
 * `assignParameters` and checkpoint loads use, gives a new one), and so is
 * tensor-core's count of in-place parameter writes (the fused AdamW update on
 * cpu). `invalidate()` forces a rebuild for any other way of writing weights.
 * The check costs one comparison per parameter per run; a rebuild reads every
 * weight once (during training that is once per dev evaluation).
 */
export class OnnxBertRunner extends WeightBoundRunner {
  constructor(
    private readonly bert: BertModel,
    /** The onnxruntime-node the sessions are made with. */
    runtime: OnnxRuntime,
  ) {
    super(runtime, () => bert.parameters().values(), () => buildBertOnnxModel(bert), { runner: 'onnx-bert-runner', graph: 'BERT' });
  }

  /**
   * @param inputIds `[B * N]` sub-word ids, row-major
   * @param attentionMask `[B * N]` 1 = real sub-word, 0 = padding
   * @param threads threads of the session (a different count rebuilds it)
   * @returns float32 `[B, N, D]` last-layer states, as `BertModel.apply(..., false)` gives them
   */
  run(inputIds: ArrayLike<number>, attentionMask: ArrayLike<number>, batchSize: number, length: number, threads: number): tf.Tensor3D {
    const dims = [batchSize, length];
    const ids = BigInt64Array.from(inputIds, (x) => BigInt(x)); // [B, N]
    const mask = BigInt64Array.from(attentionMask, (x) => BigInt(x)); // [B, N]
    const types = new BigInt64Array(batchSize * length); // [B, N] one segment: type 0, as BertEmbeddings
    const out = this.session(threads).run(
      { input_ids: { data: ids, dims }, attention_mask: { data: mask, dims }, token_type_ids: { data: types, dims } },
      BERT_ONNX_OUTPUT,
    );
    const D = this.bert.arch.hiddenSize;
    if (out.dims.length !== 3 || out.dims[0] !== batchSize || out.dims[1] !== length || out.dims[2] !== D) {
      throw new Error(`onnx-bert-runner: the session gave [${out.dims.join(', ')}], expected [${batchSize}, ${length}, ${D}]`);
    }
    return tf.tensor3d(out.data, [batchSize, length, D], 'float32'); // [B, N, D]
  }
}
