import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../init/rng.js';
import { BaseModule } from '../../module/module.js';
import { checkPositiveInt, checkRate, checkSeed } from '../config-checks.js';
import { Dense } from '../dense.js';
import { attendOverValues, prepareAttentionInputs, queryHasKey } from './attend.js';
import type { Attention, AttentionBaseConfig } from './attention.js';

/** Config of {@link MultiHeadAttention}. */
export interface MultiHeadAttentionConfig extends AttentionBaseConfig {
  variant?: 'multi-head';
  /** Number of heads h (Ji et al. 2020: 8). Default 8. */
  numHeads?: number;
  /** Size of the projected queries / keys / values, all heads together; divisible by `numHeads`. Default `queryDim`. */
  hiddenDim?: number;
  /** Size of the output projection. Default `hiddenDim`. */
  outputDim?: number;
  /** Biases in the four projections. Default true. */
  useBias?: boolean;
}

/** The resolved config of {@link MultiHeadAttention}. */
export type ResolvedMultiHeadConfig = Required<Omit<MultiHeadAttentionConfig, 'variant'>> & { variant: 'multi-head' };

/**
 * Multi-head scaled dot-product attention (Vaswani et al. 2017), Ji et al. 2020's
 * "score = Q · K^T": queries, keys and values are projected to `hiddenDim`, split
 * into `numHeads` heads of size `d = hiddenDim / numHeads`, each head computes
 * `softmax(Q_h K_h^T / sqrt(d)) V_h` over the unmasked keys, and the heads are
 * concatenated and projected to `outputDim`. Parameters `query.*`, `key.*`,
 * `value.*`, `output.*`. Registered as `"multi-head-attention.v1"`.
 */
export class MultiHeadAttention extends BaseModule implements Attention {
  static readonly kind = 'multi-head-attention.v1';
  readonly name = MultiHeadAttention.kind;
  readonly variant = 'multi-head' as const;
  readonly inputDim: number;
  readonly queryDim: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputDim: number;
  private readonly settings: ResolvedMultiHeadConfig;
  private readonly queryLayer: Dense;
  private readonly keyLayer: Dense;
  private readonly valueLayer: Dense;
  private readonly outputLayer: Dense;
  private readonly dropoutRng: Rng;

  constructor(config: MultiHeadAttentionConfig) {
    super();
    const kind = MultiHeadAttention.kind;
    const queryDim = checkPositiveInt(kind, 'queryDim', config.queryDim);
    const hiddenDim = checkPositiveInt(kind, 'hiddenDim', config.hiddenDim ?? queryDim);
    const numHeads = checkPositiveInt(kind, 'numHeads', config.numHeads ?? 8);
    if (hiddenDim % numHeads !== 0) {
      throw new Error(`${kind}: config.hiddenDim (${hiddenDim}) must be divisible by config.numHeads (${numHeads})`);
    }
    this.settings = {
      variant: 'multi-head',
      queryDim,
      keyDim: checkPositiveInt(kind, 'keyDim', config.keyDim),
      valueDim: checkPositiveInt(kind, 'valueDim', config.valueDim),
      numHeads,
      hiddenDim,
      outputDim: checkPositiveInt(kind, 'outputDim', config.outputDim ?? hiddenDim),
      useBias: config.useBias ?? true,
      attentionDropout: checkRate(kind, 'attentionDropout', config.attentionDropout ?? 0),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.settings;
    this.inputDim = s.queryDim;
    this.queryDim = s.queryDim;
    this.keyDim = s.keyDim;
    this.valueDim = s.valueDim;
    this.outputDim = s.outputDim;
    const rng = new Rng(s.seed);
    const dense = (inputDim: number, outputDim: number) => new Dense({ inputDim, outputDim, useBias: s.useBias, seed: rng.seed() });
    this.queryLayer = this.addChild('query', dense(s.queryDim, s.hiddenDim));
    this.keyLayer = this.addChild('key', dense(s.keyDim, s.hiddenDim));
    this.valueLayer = this.addChild('value', dense(s.valueDim, s.hiddenDim));
    this.outputLayer = this.addChild('output', dense(s.hiddenDim, s.outputDim));
    this.dropoutRng = new Rng(rng.seed());
  }

  config(): ResolvedMultiHeadConfig {
    return { ...this.settings };
  }

  apply(query: tf.Tensor3D, key: tf.Tensor3D, value: tf.Tensor3D, keyMask: tf.Tensor | null, training: boolean): tf.Tensor3D {
    const { numHeads, hiddenDim, attentionDropout } = this.settings;
    const headDim = hiddenDim / numHeads; // d
    return tf.tidy(() => {
      const mask = prepareAttentionInputs(this.name, this, query, key, value, keyMask); // [B, Tq|1, Tk]
      const [batchSize, queryLen] = query.shape; // B, Tq
      const keyLen = key.shape[1]; // Tk
      const splitHeads = (x: tf.Tensor, len: number) =>
        tf.transpose(tf.reshape(x, [batchSize, len, numHeads, headDim]), [0, 2, 1, 3]); // [B, h, len, d]
      const q = splitHeads(this.queryLayer.apply(query), queryLen); // [B, h, Tq, d]
      const k = splitHeads(this.keyLayer.apply(key), keyLen); // [B, h, Tk, d]
      const v = splitHeads(this.valueLayer.apply(value), keyLen); // [B, h, Tk, d]
      const scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(headDim)); // [B, h, Tq, Tk]
      const headMask = tf.expandDims(mask, 1); // [B, 1, Tq|1, Tk] shared by every head
      const perHead = attendOverValues(scores, headMask, v, attentionDropout, this.dropoutRng, training); // [B, h, Tq, d]
      const merged = tf.reshape(tf.transpose(perHead, [0, 2, 1, 3]), [batchSize, queryLen, hiddenDim]); // [B, Tq, h * d]
      const projected = this.outputLayer.apply(merged); // [B, Tq, outputDim]
      return tf.mul(projected, queryHasKey(mask, queryLen)) as tf.Tensor3D; // [B, Tq, outputDim] no key -> 0
    });
  }
}
