import { onnxInferenceThreads, useOnnxInference } from './onnx-inference-switch.js';
import type { OnnxRuntime } from './onnxruntime-module.js';
import type { WeightBoundRunner } from './weight-bound-runner.js';

/**
 * An encoder's ONNX runner, made on first use for the onnxruntime-node that
 * inference runs on now and remade when that changes: what the BERT and the
 * BiLSTM encoders share for their inference path. `current()` is null while
 * inference runs on tfjs (the switches off, or no onnxruntime-node).
 */
export class OnnxRunnerSlot<R extends WeightBoundRunner> {
  private runner: R | null = null;

  constructor(
    /** Makes the runner of the encoder's module for a runtime. */
    private readonly make: (runtime: OnnxRuntime) => R,
  ) {}

  /** The runner when inference should run on onnxruntime-node now (switches on, runtime loaded), else null. */
  current(): R | null {
    const runtime = useOnnxInference();
    if (!runtime) return null;
    if (this.runner?.runtime !== runtime) {
      this.runner?.release();
      this.runner = this.make(runtime);
    }
    return this.runner;
  }

  /** Where inference runs now: `"onnxruntime"` (onnxruntime-node loadable, `setOnnxInference` and tensor-core's `setFusedKernels` on) or `"tfjs"`. */
  path(): 'onnxruntime' | 'tfjs' {
    return useOnnxInference() ? 'onnxruntime' : 'tfjs';
  }

  /** Builds the session of the current weights now when inference runs on onnxruntime-node and it is missing or stale. */
  prepare(): void {
    this.current()?.prepare(onnxInferenceThreads());
  }

  /** Drops the session so the next inference rebuilds it. */
  invalidate(): void {
    this.runner?.invalidate();
  }

  /** How many ONNX sessions were built (0 on the tfjs path). */
  get builds(): number {
    return this.runner?.builds ?? 0;
  }

  /** Releases the runner's session. */
  release(): void {
    this.runner?.release();
    this.runner = null;
  }
}
