import * as tf from '@tensorflow/tfjs-core';
import { Dense } from '../dense.js';
import { SingleHeadAttention, type ResolvedSingleHeadConfig, type SingleHeadAttentionConfig } from './single-head-attention.js';

/** Config of {@link GeneralAttention}. */
export interface GeneralAttentionConfig extends SingleHeadAttentionConfig {
  variant?: 'general';
}

/**
 * Luong et al. 2015's "general" (bilinear) attention, `score = Q · W · K`:
 * `score(q, k) = q^T W k` with `W [queryDim, keyDim]` (parameter `bilinear.kernel`),
 * so query and key may have different sizes. Registered as `"general-attention.v1"`.
 */
export class GeneralAttention extends SingleHeadAttention {
  static readonly kind = 'general-attention.v1';
  readonly name = GeneralAttention.kind;
  readonly variant = 'general' as const;
  private readonly bilinear: Dense;

  constructor(config: GeneralAttentionConfig) {
    super(GeneralAttention.kind, config);
    this.bilinear = this.addChild('bilinear', new Dense({ inputDim: this.queryDim, outputDim: this.keyDim, useBias: false, seed: this.initRng.seed() }));
  }

  config(): ResolvedSingleHeadConfig & { variant: 'general' } {
    return { variant: 'general', ...this.shared };
  }

  protected scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    const projected = this.bilinear.apply(query); // [B, Tq, keyDim] = Q W
    return tf.matMul(projected, key, false, true) as tf.Tensor3D; // [B, Tq, Tk]
  }
}
