import type { OnnxRuntime, OnnxSyncSession } from './onnxruntime-module.js';
import { WeightBoundSession } from './weight-bound-session.js';

/**
 * What every module's ONNX runner (BERT's, the BiLSTM's) shares: a
 * {@link WeightBoundSession} of the module's weights and the bookkeeping around
 * it (builds, staleness, preparing, invalidating, releasing). A subclass adds
 * `run`, which feeds its inputs to `this.session(threads)`.
 */
export abstract class WeightBoundRunner {
  private readonly weights: WeightBoundSession;

  protected constructor(
    /** The onnxruntime-node the sessions are made with. */
    readonly runtime: OnnxRuntime,
    parameters: ConstructorParameters<typeof WeightBoundSession>[1],
    buildModel: ConstructorParameters<typeof WeightBoundSession>[2],
    label: ConstructorParameters<typeof WeightBoundSession>[3],
  ) {
    this.weights = new WeightBoundSession(runtime, parameters, buildModel, label);
  }

  /** How many sessions were built so far (tests, benchmarks). */
  get builds(): number {
    return this.weights.builds;
  }

  /** True when no session exists or the weights (or the thread count asked for) changed since it was built. */
  stale(threads: number): boolean {
    return this.weights.stale(threads);
  }

  /** Builds the session now when stale (else nothing): to move the build out of a timed region. */
  prepare(threads: number): void {
    this.weights.prepare(threads);
  }

  /** Forgets the session: the next run builds one from the weights as they are then. */
  invalidate(): void {
    this.weights.release();
  }

  /** Releases the session's native memory. */
  release(): void {
    this.weights.release();
  }

  /** The session for `threads`: built, or rebuilt when stale. */
  protected session(threads: number): OnnxSyncSession {
    return this.weights.session(threads);
  }
}
