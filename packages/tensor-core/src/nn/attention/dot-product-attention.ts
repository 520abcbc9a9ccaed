import * as tf from '@tensorflow/tfjs-core';
import type { ActivationName } from '../../ops/activation.js';
import { checkActivation, checkPositiveInt } from '../config-checks.js';
import { FeedForward } from '../ffn.js';
import { SingleHeadAttention, type ResolvedSingleHeadConfig, type SingleHeadAttentionConfig } from './single-head-attention.js';

/** Config of {@link DotProductAttention}. */
export interface DotProductAttentionConfig extends SingleHeadAttentionConfig {
  variant?: 'dot-product';
  /** Common size the query and key are projected to. Default `queryDim`. */
  hiddenDim?: number;
  /** Hidden sizes of the query / key FFNNs; `[]` (default) = one linear layer each. */
  projectionHiddenDims?: number[];
  /** Activation between the projection layers. Default `"relu"`. */
  projectionActivation?: ActivationName;
}

/**
 * Ji et al. 2020's dot-product attention, `score = W · (Q ⊙ K)`: query and key go
 * through separate FFNNs to a common size `H` ("to convert them to the same
 * dimension"), then `score(q, k) = Σ_h w_h q'_h k'_h`, computed as one batched
 * matmul `(Q' ⊙ w) K'^T` (no `[B, Tq, Tk, H]` block). `w` starts at ones (plain
 * dot product). Parameters `query.*`, `key.*` (FFNs) and `weight [H]`.
 * Registered as `"dot-product-attention.v1"`.
 */
export class DotProductAttention extends SingleHeadAttention {
  static readonly kind = 'dot-product-attention.v1';
  readonly name = DotProductAttention.kind;
  readonly variant = 'dot-product' as const;
  private readonly own: { hiddenDim: number; projectionHiddenDims: number[]; projectionActivation: ActivationName };
  private readonly queryProjection: FeedForward;
  private readonly keyProjection: FeedForward;
  private readonly weight: tf.Variable; // [H]

  constructor(config: DotProductAttentionConfig) {
    super(DotProductAttention.kind, config);
    const kind = this.name;
    const projectionHiddenDims = config.projectionHiddenDims ?? [];
    if (!Array.isArray(projectionHiddenDims)) throw new Error(`${kind}: config.projectionHiddenDims must be an array of positive integers`);
    projectionHiddenDims.forEach((d, i) => checkPositiveInt(kind, `projectionHiddenDims[${i}]`, d));
    this.own = {
      hiddenDim: checkPositiveInt(kind, 'hiddenDim', config.hiddenDim ?? this.queryDim),
      projectionHiddenDims: [...projectionHiddenDims],
      projectionActivation: checkActivation(kind, 'projectionActivation', config.projectionActivation ?? 'relu'),
    };
    const { hiddenDim, projectionActivation } = this.own;
    const ffn = (inputDim: number) =>
      new FeedForward({ inputDim, hiddenDims: projectionHiddenDims, outputDim: hiddenDim, activation: projectionActivation, seed: this.initRng.seed() });
    this.queryProjection = this.addChild('query', ffn(this.queryDim));
    this.keyProjection = this.addChild('key', ffn(this.keyDim));
    this.weight = this.addParameter('weight', tf.ones([hiddenDim])); // [H]
  }

  config(): ResolvedSingleHeadConfig & { variant: 'dot-product'; hiddenDim: number; projectionHiddenDims: number[]; projectionActivation: ActivationName } {
    return { variant: 'dot-product', ...this.shared, ...this.own, projectionHiddenDims: [...this.own.projectionHiddenDims] };
  }

  protected scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D {
    const q = this.queryProjection.apply(query); // [B, Tq, H]
    const k = this.keyProjection.apply(key); // [B, Tk, H]
    return tf.matMul(tf.mul(q, this.weight), k, false, true) as tf.Tensor3D; // [B, Tq, Tk]
  }
}
