import * as tf from '@tensorflow/tfjs-core';
import { inPlaceParameterWrites } from '@spanrel/tensor-core';
import type { OnnxRuntime, OnnxSyncSession } from '../onnx/onnxruntime-module.js';
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
export class OnnxBertRunner {
  private session: OnnxSyncSession | null = null;
  private builtFrom: readonly object[] = [];
  private builtAtWrites = -1;
  private sessionThreads = 0;
  private buildCount = 0;

  constructor(
    private readonly bert: BertModel,
    /** The onnxruntime-node the sessions are made with. */
    readonly runtime: OnnxRuntime,
  ) {}

  /** How many sessions were built so far (tests, benchmarks). */
  get builds(): number {
    return this.buildCount;
  }

  private dataIds(): object[] {
    return [...this.bert.parameters().values()].map((v) => v.dataId as object);
  }

  /** True when no session exists or the weights (or the thread count asked for) changed since it was built. */
  stale(threads: number): boolean {
    if (!this.session || this.builtAtWrites !== inPlaceParameterWrites() || this.sessionThreads !== threads) return true;
    const ids = this.dataIds();
    return ids.length !== this.builtFrom.length || ids.some((id, i) => id !== this.builtFrom[i]);
  }

  /** Builds the session now when stale (else nothing): to move the build out of a timed region. */
  prepare(threads: number): void {
    if (!this.stale(threads)) return;
    this.release();
    const ids = this.dataIds();
    const writes = inPlaceParameterWrites();
    try {
      this.session = this.runtime.createSession(buildBertOnnxModel(this.bert), threads);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`onnx-bert-runner: onnxruntime-node ${this.runtime.version} did not take the BERT graph (${why}); setOnnxInference(false) runs inference in tfjs`, { cause: e });
    }
    this.builtFrom = ids;
    this.builtAtWrites = writes;
    this.sessionThreads = threads;
    this.buildCount++;
  }

  /** Forgets the session: the next run builds one from the weights as they are then. */
  invalidate(): void {
    this.release();
  }

  /**
   * @param inputIds `[B * N]` sub-word ids, row-major
   * @param attentionMask `[B * N]` 1 = real sub-word, 0 = padding
   * @param threads threads of the session (a different count rebuilds it)
   * @returns float32 `[B, N, D]` last-layer states, as `BertModel.apply(..., false)` gives them
   */
  run(inputIds: ArrayLike<number>, attentionMask: ArrayLike<number>, batchSize: number, length: number, threads: number): tf.Tensor3D {
    this.prepare(threads);
    const dims = [batchSize, length];
    const ids = BigInt64Array.from(inputIds, (x) => BigInt(x)); // [B, N]
    const mask = BigInt64Array.from(attentionMask, (x) => BigInt(x)); // [B, N]
    const types = new BigInt64Array(batchSize * length); // [B, N] one segment: type 0, as BertEmbeddings
    const out = this.session!.run(
      { input_ids: { data: ids, dims }, attention_mask: { data: mask, dims }, token_type_ids: { data: types, dims } },
      BERT_ONNX_OUTPUT,
    );
    const D = this.bert.arch.hiddenSize;
    if (out.dims.length !== 3 || out.dims[0] !== batchSize || out.dims[1] !== length || out.dims[2] !== D) {
      throw new Error(`onnx-bert-runner: the session gave [${out.dims.join(', ')}], expected [${batchSize}, ${length}, ${D}]`);
    }
    return tf.tensor3d(out.data, [batchSize, length, D], 'float32'); // [B, N, D]
  }

  /** Releases the session's native memory. */
  release(): void {
    this.session?.release();
    this.session = null;
    this.builtFrom = [];
  }
}
