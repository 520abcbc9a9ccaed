/**
 * A pluggable runtime for {@link FeedForward}'s inference forward pass: the
 * heads' MLPs (Dixit's entity MLP over every span, its relation MLP over every
 * pair) are most of a decode's kernel time on wasm, and a native runtime
 * (onnxruntime-node, installed by `@spanrel/encoders`' Node entry) runs the same
 * matrix products tens of times faster. tensor-core only holds the hook, so it
 * depends on no runtime; the heads keep calling `FeedForward.apply`.
 *
 * It is used only when `training` is false and the fused-kernel switch is on
 * (`setFusedKernels(false)`, `--no-fused`: the tfjs path, for comparison). A
 * runtime may decline a call (return null: not loaded, unsupported
 * activation), and tfjs runs it.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from '../ops/activation.js';

/** What a runtime needs of an MLP: its layers' weights and activations, in order. */
export interface FeedForwardLayers {
  readonly layers: readonly {
    readonly inputDim: number;
    readonly outputDim: number;
    readonly kernel: tf.Variable; // [in, out]
    readonly bias: tf.Variable | null; // [out]
    readonly activation: ActivationName;
  }[];
}

/** Runs an MLP's inference forward pass outside tfjs. */
export interface FeedForwardRuntime {
  /**
   * @param mlp the MLP (a stable object: a runtime may cache what it builds from it)
   * @param x `[N, inputDim]` inputs
   * @returns `[N, outputDim]` as tfjs would give it (to float rounding), or null to let tfjs run it
   */
  run(mlp: FeedForwardLayers, x: tf.Tensor2D): tf.Tensor2D | null;
  /**
   * The MLP over pairs of rows (Dixit's relation MLP): row k of the result is
   * `mlp([r_h; r_t; r_h * r_t])` with `h = heads[k]`, `t = tails[k]`, so that
   * the `[M, 3 Ds]` pair features are never built in tfjs. Optional.
   * @param reps `[N, Ds]` span representations
   * @param heads `[M]` row indices into `reps`
   * @param tails `[M]` row indices into `reps`
   * @returns `[M, outputDim]`, or null to let tfjs run it
   */
  runPairs?(mlp: FeedForwardLayers, reps: tf.Tensor2D, heads: Int32Array, tails: Int32Array): tf.Tensor2D | null;
}

let runtime: FeedForwardRuntime | null = null;

/** Installs the runtime of every later MLP inference call (null: tfjs only). Returns the previous one. */
export function setFeedForwardRuntime(next: FeedForwardRuntime | null): FeedForwardRuntime | null {
  const previous = runtime;
  runtime = next;
  return previous;
}

/** The installed runtime, or null. */
export function feedForwardRuntime(): FeedForwardRuntime | null {
  return runtime;
}
