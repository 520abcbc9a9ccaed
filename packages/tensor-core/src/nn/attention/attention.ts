import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../../module/module.js';

/** The four attention variants compared by Ji et al. 2020 (section 3.3). */
export const ATTENTION_VARIANTS = ['multi-head', 'additive', 'dot-product', 'general'] as const;
export type AttentionVariant = (typeof ATTENTION_VARIANTS)[number];

/** Fields every attention config shares. */
export interface AttentionBaseConfig {
  /** Size of each query vector. */
  queryDim: number;
  /** Size of each key vector. */
  keyDim: number;
  /** Size of each value vector. */
  valueDim: number;
  /** Dropout on the attention weights, only when training. Default 0. */
  attentionDropout?: number;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

/**
 * Attention with a key mask: every query attends over the keys the mask keeps.
 * Built from config through the registry (`"attention.v1"` with a `variant`,
 * or the variant's own name).
 */
export interface Attention extends Module {
  readonly variant: AttentionVariant;
  /** Same as `queryDim`. */
  readonly inputDim: number;
  readonly queryDim: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputDim: number;
  /**
   * @param query `[B, Tq, queryDim]`
   * @param key `[B, Tk, keyDim]`
   * @param value `[B, Tk, valueDim]`
   * @param keyMask any dtype, non-zero = attend: `[B, Tk]` (same keys for every query)
   *   or `[B, Tq, Tk]` (per query, e.g. a relation's local context); null = all keys
   * @param training enables attention dropout
   * @returns `[B, Tq, outputDim]`; the 0 vector for a query whose keys are all masked
   */
  apply(query: tf.Tensor3D, key: tf.Tensor3D, value: tf.Tensor3D, keyMask: tf.Tensor | null, training: boolean): tf.Tensor3D;
  /** Frees every variable of the module. */
  dispose(): void;
}
