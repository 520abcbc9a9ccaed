import type * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import type { Module } from '@spanrel/tensor-core';
import type { PairBatch } from './pair-batch.js';

/** One predicted relation. */
export interface RelationPrediction {
  /** Position of the pair in the P axis of the {@link PairBatch}. */
  pair: number;
  /** Index (into the K spans of the batch) of the first argument. */
  head: number;
  /** Index of the second argument. */
  tail: number;
  /** Relation type, `0 .. numTypes - 1` (`none` excluded). */
  type: number;
  /** Its probability (sigmoid or softmax). */
  score: number;
}

/**
 * Scores ordered span pairs over relation types.
 *
 * Every head takes the same arguments: the encoder output (word states, mask,
 * `[CLS]`), the span representations the pairs index, and a {@link PairBatch}
 * (pairs, pair mask, between-spans context mask, span bounds, optional span labels).
 * Pairs are scored in chunks of `maxPairs`, so a sentence with many entities
 * does not exhaust memory at inference.
 */
export interface RelationHead extends Module {
  /** Size of each span representation it reads (the span head's `relationDim`). */
  readonly inputDim: number;
  /** D of the encoder states `enc.hidden`. */
  readonly contextDim: number;
  /** Number of relation types, `none` excluded. */
  readonly numTypes: number;
  /** Logits per pair: `numTypes` (sigmoid, multi-label) or `numTypes + 1` (softmax, class 0 = none). */
  readonly outputDim: number;
  /** Largest number of pairs scored at once. */
  readonly maxPairs: number;
  /**
   * `false`: the head never reads `pairs.contextMask` (Dixit's `[g_i; g_j; g_i * g_j]`),
   * so callers may build pairs without it (`allPairs(..., { context: false })`: zeros)
   * and skip the `[B, P, T]` mask work. Absent or `true`: the head reads it.
   */
  readonly readsContext?: boolean;
  /**
   * @param enc encoder output, `hidden [B, T, contextDim]`
   * @param spanReps `[B, K, inputDim]`, the spans `pairs.pairs` indexes
   * @param pairs the candidates
   * @param training enables dropout
   * @returns logits `[B, P, outputDim]`; exactly 0 for padding pairs
   */
  score(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D;
  /**
   * Decodes the logits of {@link RelationHead.score} into relations, per sentence;
   * padding pairs never yield one.
   */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][];
}

/** Config fields every relation head shares. */
export interface RelationHeadBaseConfig {
  /** Size of each span representation (the span head's `relationDim`). */
  spanDim: number;
  /** D of the encoder states. */
  contextDim: number;
  /** Number of relation types, `none` excluded. */
  numTypes: number;
  /** Pairs scored at once. Default 1000 (SpERT's `max_pairs` at inference). */
  maxPairs?: number;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}
