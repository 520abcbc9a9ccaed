import * as tf from '@tensorflow/tfjs-core';
import { checkPositiveInt } from '../config-checks.js';
import { Dense } from '../dense.js';
import { SingleHeadAttention, type ResolvedSingleHeadConfig, type SingleHeadAttentionConfig } from './single-head-attention.js';

/** Config of {@link AdditiveAttention}. */
export interface AdditiveAttentionConfig extends SingleHeadAttentionConfig {
  variant?: 'additive';
  /** Size of the tanh layer. Default `queryDim`. */
  hiddenDim?: number;
}

/**
 * Additive (Bahdanau et al. 2015) attention, Ji et al. 2020's "score = W1·Q + W2·K":
 * `score(q, k) = v^T tanh(W_q q + b + W_k k)`. Parameters `query.*` (`W_q`, `b`),
 * `key.kernel` (`W_k`), `score.kernel` (`v`). Registered as `"additive-attention.v1"`.
 *
 * Memory: builds a `[B, Tq, Tk, hiddenDim]` block.
 */
export class AdditiveAttention extends SingleHeadAttention {
  static readonly kind = 'additive-attention.v1';
  readonly name = AdditiveAttention.kind;
  readonly variant = 'additive' as const;
  private readonly hiddenDim: number;
  private readonly queryLayer: Dense;
  private readonly keyLayer: Dense;
  private readonly scoreLayer: Dense;

  constructor(config: AdditiveAttentionConfig) {
    super(AdditiveAttention.kind, config);
    this.hiddenDim = checkPositiveInt(this.name, 'hiddenDim', config.hiddenDim ?? this.queryDim);
    const h = this.hiddenDim;
    this.queryLayer = this.addChild('query', new Dense({ inputDim: this.queryDim, outputDim: h, seed: this.initRng.seed() }));
    this.keyLayer = this.addChild('key', new Dense({ inputDim: this.keyDim, outputDim: h, useBias: false, seed: this.initRng.seed() }));
    this.scoreLayer = this.addChild('score', new Dense({ inputDim: h, outputDim: 1, useBias: false, seed: this.initRng.seed() }));
  }

  config(): ResolvedSingleHeadConfig & { variant: 'additive'; hiddenDim: number } {
    return { variant: 'additive', ...this.shared, hiddenDim: this.hiddenDim };
  }

  protected scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    const [batchSize, queryLen] = query.shape; // B, Tq
    const keyLen = key.shape[1]; // Tk
    const q = tf.expandDims(this.queryLayer.apply(query), 2); // [B, Tq, 1, H]
    const k = tf.expandDims(this.keyLayer.apply(key), 1); // [B, 1, Tk, H]
    const hidden = tf.tanh(tf.add(q, k)); // [B, Tq, Tk, H]
    return tf.reshape(this.scoreLayer.apply(hidden), [batchSize, queryLen, keyLen]) as tf.Tensor3D; // [B, Tq, Tk]
  }
}
