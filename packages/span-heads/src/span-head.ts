import type * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import type { Module } from '@spanrel/tensor-core';

/**
 * Turns word states and candidate spans into span representations.
 *
 * Every head takes the same arguments (the AllenNLP lesson, issue #5145): the
 * whole encoder output (so a head may use `cls`, `wordVectors` or `mask`),
 * the spans as `[start, end)` word indices and an explicit span mask.
 *
 * The representation is laid out as `[span features; width embedding; sentence context]`:
 * - the first {@link SpanHead.relationDim} features describe the span itself and
 *   are what relation heads consume (SpERT's `e(s)`, Eq. 1);
 * - the rest (`[CLS]` for SpERT, Eq. 2) is sentence context that only the entity
 *   classifier sees. {@link SpanHead.relationFeatures} slices it off.
 */
export interface SpanHead extends Module {
  /** D, the size of the encoder's word states (`enc.hidden`) and of `enc.cls`. */
  readonly inputDim: number;
  /** D', the size of each span representation. */
  readonly outputDim: number;
  /** Size of the leading part of a representation that relation heads use (`<= outputDim`). */
  readonly relationDim: number;
  /**
   * @param enc the encoder output for a batch of B sentences padded to T words
   * @param spans int32 `[B, S, 2]`, `[start, end)` word indices
   * @param spanMask `[B, S]`, non-zero = a real span. Every real span must satisfy
   *   `0 <= start < end <= length of its sentence`; padding spans may hold anything.
   * @param training enables dropout
   * @returns `[B, S, outputDim]`; padding spans get the 0 vector
   */
  embed(enc: EncoderOutput, spans: tf.Tensor3D, spanMask: tf.Tensor2D, training: boolean): tf.Tensor3D;
  /**
   * The part of span representations that relation heads consume:
   * `reps[..., :relationDim]` (the same tensor when `relationDim === outputDim`).
   *
   * @param reps `[B, S, outputDim]` from {@link SpanHead.embed} (or a gathered subset)
   * @returns `[B, S, relationDim]`
   */
  relationFeatures(reps: tf.Tensor3D): tf.Tensor3D;
}

/** Config fields every span head accepts (same meaning for every head). */
export interface SpanHeadBaseConfig {
  /** D, the size of the encoder's word states. */
  inputDim: number;
  /** Size of the span-width embedding; 0 leaves it out. Default: the head's paper value (SpERT 25, Dixit 20). */
  widthDim?: number;
  /**
   * Rows of the width table. Row `w` embeds a span of `w` words; spans of
   * `numWidths - 1` words or more share the last row. Default 100 (SpERT's table).
   */
  numWidths?: number;
  /** Dropout on the width embedding while training (Dixit: 0.2 on "feature encodings"). Default: the head's paper value. */
  widthDropout?: number;
  /** Append `enc.cls` (sentence context for the entity classifier; not part of `relationDim`). Default: the head's paper value (SpERT true). */
  useCls?: boolean;
  /** Std of the normal initialiser of the width table (SpERT: 0.02). Default 0.02. */
  initStd?: number;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

/** What {@link BaseSpanHead} hands a subclass's `pool`: validated inputs plus the padded span width. */
export interface SpanPoolInput {
  enc: EncoderOutput;
  /** int32 `[B, S, 2]`. */
  spans: tf.Tensor3D;
  /** float32 0/1 `[B, S]`. */
  spanMask: tf.Tensor2D;
  /** W, the widest real span of the batch (>= 1): pass it to `batchedSpanSelect`. */
  maxWidth: number;
  training: boolean;
}
