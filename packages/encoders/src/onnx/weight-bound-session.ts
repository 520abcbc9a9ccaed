import type * as tf from '@tensorflow/tfjs-core';
import { inPlaceParameterWrites } from '@spanrel/tensor-core';
import type { OnnxRuntime, OnnxSyncSession } from './onnxruntime-module.js';

/** What `OnnxRuntime.createSession` takes: a serialized ONNX model. */
type OnnxModelBytes = Parameters<OnnxRuntime['createSession']>[0];

/**
 * An onnxruntime-node session built from a module's current weights and
 * rebuilt on the next use after any of them changes (shared by the BERT and
 * BiLSTM runners). A change is seen without being told: every parameter's
 * data id is compared with the one the session was built from
 * (`Variable.assign`, which optimizers, `assignParameters` and checkpoint loads
 * use, gives a new one), and so is tensor-core's count of in-place parameter
 * writes (the fused AdamW update on cpu). `invalidate()` forces a rebuild for
 * any other way of writing weights.
 */
export class WeightBoundSession {
  private current: OnnxSyncSession | null = null;
  private builtFrom: readonly object[] = [];
  private builtAtWrites = -1;
  private sessionThreads = 0;
  private buildCount = 0;

  constructor(
    /** The onnxruntime-node the sessions are made with. */
    readonly runtime: OnnxRuntime,
    /** The weights the graph is built from, in a fixed order. */
    private readonly parameters: () => Iterable<tf.Variable>,
    /** Exports the graph with the weights as they are now. */
    private readonly buildModel: () => OnnxModelBytes,
    /** Names the runner and the graph in errors, e.g. `onnx-bert-runner` / `BERT`. */
    private readonly label: { runner: string; graph: string },
  ) {}

  /** How many sessions were built so far (tests, benchmarks). */
  get builds(): number {
    return this.buildCount;
  }

  private dataIds(): object[] {
    return [...this.parameters()].map((v) => v.dataId as object);
  }

  /** True when no session exists or the weights (or the thread count asked for) changed since it was built. */
  stale(threads: number): boolean {
    if (!this.current || this.builtAtWrites !== inPlaceParameterWrites() || this.sessionThreads !== threads) return true;
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
      this.current = this.runtime.createSession(this.buildModel(), threads);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`${this.label.runner}: onnxruntime-node ${this.runtime.version} did not take the ${this.label.graph} graph (${why}); setOnnxInference(false) runs inference in tfjs`, { cause: e });
    }
    this.builtFrom = ids;
    this.builtAtWrites = writes;
    this.sessionThreads = threads;
    this.buildCount++;
  }

  /** The session for `threads`, built first when stale. */
  session(threads: number): OnnxSyncSession {
    this.prepare(threads);
    return this.current!;
  }

  /** Releases the session's native memory; the next use builds one from the weights as they are then. */
  release(): void {
    this.current?.release();
    this.current = null;
    this.builtFrom = [];
  }
}
