import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@spanrel/tensor-core';

/**
 * Scores every span over `none` + the entity types. Class 0 is always `none`;
 * class `k >= 1` is entity type `k - 1` of the label schema.
 */
export interface EntityClassifier extends Module {
  /** Size of the span representations it reads (the span head's `outputDim`). */
  readonly inputDim: number;
  /** Number of entity types, `none` excluded. */
  readonly numTypes: number;
  /** `numTypes + 1`: the logits per span, `none` first. */
  readonly outputDim: number;
  /**
   * @param spanReps `[B, S, inputDim]`
   * @param training enables dropout
   * @returns logits `[B, S, numTypes + 1]` (softmax them for probabilities); padding spans get logits too, which callers mask
   */
  classify(spanReps: tf.Tensor3D, training: boolean): tf.Tensor3D;
}

/** Config fields every entity classifier shares. */
export interface EntityClassifierBaseConfig {
  /** Size of the span representations (the span head's `outputDim`). */
  inputDim: number;
  /** Number of entity types, `none` excluded. */
  numTypes: number;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

/** Throws unless `spanReps` is `[B, S, inputDim]`. */
export function checkReps(kind: string, spanReps: tf.Tensor, inputDim: number): void {
  if (spanReps.rank !== 3 || spanReps.shape[2] !== inputDim) {
    throw new Error(`${kind}: spanReps must be [B, S, inputDim=${inputDim}], got [${spanReps.shape.join(', ')}]`);
  }
}
