import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, FeedForward, LayerNorm, MultiHeadAttention, Rng, dropout } from '@spanrel/tensor-core';
import { checkConfigObject, checkPositiveInt, checkPositiveNumber, checkRate, checkSeed } from '@spanrel/tensor-core';

/** Config of {@link StsnAttentionUnit}. */
export interface StsnAttentionUnitConfig {
  /** d, the size of the query, key and value views (and of the output). */
  dim: number;
  /** h, the attention heads; `dim` must be divisible by it. Default 8 (STSN section 4.1). */
  numHeads?: number;
  /** Inner size of the position-wise FFN. Default `dim` (STSN section 3.2.2: `W_1, W_2 ∈ R^{d×d}`). */
  ffnDim?: number;
  /**
   * Dropout, while training, on the attention weights, after the FFN's ReLU and on
   * both sub-layer outputs before their residual additions. Default 0.1 (the
   * Transformer encoder layer's; the STSN paper does not say).
   */
  dropout?: number;
  /** Epsilon of both layer norms. Default 1e-5. */
  layerNormEps?: number;
  /**
   * Where the layer norms sit. `"post"` (default, the paper's and BERT's):
   * `x = LN(q + Att(q, kv))`, `out = LN(x + FFN(x))`. `"pre"`: `x = q + Att(LN(q),
   * LN(kv))`, `out = x + FFN(LN'(x))` (the same two norms, one residual stream
   * without a norm on it). Trained from scratch (a BiLSTM below, not BERT), post-LN
   * stacks take only small learning rates, fewer as they widen, and the STSN
   * tagger then stays at its prior; pre-LN units learn (see the `stsn` preset).
   */
  norm?: 'post' | 'pre';
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

const FIELDS = ['dim', 'numHeads', 'ffnDim', 'dropout', 'layerNormEps', 'norm', 'seed'] as const;

/**
 * The checked settings of a unit config with its defaults (8 heads, FFN of
 * `dim`, dropout 0.1, layer-norm eps 1e-5, seed 0), each error prefixed by
 * `kind`; the stacked layer reads the same fields for its three units.
 */
function checkNorm(kind: string, value: unknown): 'post' | 'pre' {
  if (value !== 'post' && value !== 'pre') throw new Error(`${kind}: config.norm must be "post" or "pre", got ${JSON.stringify(value)}`);
  return value;
}

export function unitSettings(kind: string, c: Record<string, unknown>): Required<StsnAttentionUnitConfig> {
  const dim = checkPositiveInt(kind, 'dim', c.dim);
  return {
    dim,
    numHeads: checkPositiveInt(kind, 'numHeads', c.numHeads ?? 8),
    ffnDim: checkPositiveInt(kind, 'ffnDim', c.ffnDim ?? dim),
    dropout: checkRate(kind, 'dropout', c.dropout ?? 0.1),
    layerNormEps: checkPositiveNumber(kind, 'layerNormEps', c.layerNormEps ?? 1e-5),
    norm: checkNorm(kind, c.norm ?? 'post'),
    seed: checkSeed(kind, c.seed ?? 0),
  };
}

/**
 * STSN's "general architecture" of an attention unit (Ji et al., section 3.2.2),
 * shared by E&R-L-A, L-E-A and L-R-A, which differ only in their inputs:
 *
 * ```
 * I   = MultiHead(Q, K, V)                    // h heads, keys masked
 * X   = LayerNorm(Q + I)                      // residual around the attention
 * out = LayerNorm(X + FFN(X)),  FFN(X) = max(0, X W_1 + b_1) W_2 + b_2
 * ```
 *
 * A Transformer encoder layer whose query and key/value are different views.
 * A query with no unmasked key gets `I = 0` (so `out` depends on `Q` alone).
 * Parameters `attention.{query,key,value,output}.*`, `attentionNorm.*`,
 * `ffn.layers.{0,1}.*`, `ffnNorm.*`. Registered as `"stsn-attention-unit.v1"`.
 *
 * ```ts
 * const unit = new StsnAttentionUnit({ dim: 768 });
 * const hL = unit.apply(hL0, hC0, mask, true); // E&R-L-A: [B, T, 768]
 * ```
 */
export class StsnAttentionUnit extends BaseModule {
  static readonly kind = 'stsn-attention-unit.v1';
  readonly name = StsnAttentionUnit.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly settings: Required<StsnAttentionUnitConfig>;
  private readonly attention: MultiHeadAttention;
  private readonly attentionNorm: LayerNorm;
  private readonly ffn: FeedForward;
  private readonly ffnNorm: LayerNorm;
  private readonly dropoutRng: Rng;

  constructor(config: StsnAttentionUnitConfig) {
    super();
    const kind = StsnAttentionUnit.kind;
    this.settings = unitSettings(kind, checkConfigObject(kind, config, FIELDS));
    const s = this.settings;
    const dim = s.dim;
    if (dim % s.numHeads !== 0) throw new Error(`${kind}: config.dim (${dim}) must be divisible by config.numHeads (${s.numHeads})`);
    this.inputDim = dim;
    this.outputDim = dim;
    const rng = new Rng(s.seed);
    this.attention = this.addChild(
      'attention',
      new MultiHeadAttention({ queryDim: dim, keyDim: dim, valueDim: dim, hiddenDim: dim, outputDim: dim, numHeads: s.numHeads, attentionDropout: s.dropout, seed: rng.seed() }),
    );
    this.attentionNorm = this.addChild('attentionNorm', new LayerNorm({ dim, eps: s.layerNormEps }));
    this.ffn = this.addChild('ffn', new FeedForward({ inputDim: dim, hiddenDims: [s.ffnDim], outputDim: dim, activation: 'relu', dropout: s.dropout, seed: rng.seed() }));
    this.ffnNorm = this.addChild('ffnNorm', new LayerNorm({ dim, eps: s.layerNormEps }));
    this.dropoutRng = new Rng(rng.seed());
  }

  config(): Required<StsnAttentionUnitConfig> {
    return { ...this.settings };
  }

  /**
   * @param query `[B, Tq, dim]`, the view that receives information (and the residual)
   * @param keyValue `[B, Tk, dim]`, the view attended over (STSN uses it as both key and value)
   * @param keyMask `[B, Tk]`, non-zero = a real token; padding keys get no weight
   * @param training enables dropout
   * @returns `[B, Tq, dim]`
   */
  apply(query: tf.Tensor3D, keyValue: tf.Tensor3D, keyMask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const rate = this.settings.dropout;
    if (this.settings.norm === 'pre') {
      return tf.tidy(() => {
        const keys = this.attentionNorm.apply(keyValue) as tf.Tensor3D; // [B, Tk, d]
        const attended = this.attention.apply(this.attentionNorm.apply(query) as tf.Tensor3D, keys, keys, keyMask, training); // [B, Tq, d]
        const x = tf.add(query, dropout(attended, rate, this.dropoutRng, training)); // [B, Tq, d]
        const fed = this.ffn.apply(this.ffnNorm.apply(x), training); // [B, Tq, d]
        return tf.add(x, dropout(fed, rate, this.dropoutRng, training)) as tf.Tensor3D; // [B, Tq, d]
      });
    }
    return tf.tidy(() => {
      const attended = this.attention.apply(query, keyValue, keyValue, keyMask, training); // [B, Tq, d] I
      const x = this.attentionNorm.apply(tf.add(query, dropout(attended, rate, this.dropoutRng, training))); // [B, Tq, d]
      const fed = this.ffn.apply(x, training); // [B, Tq, d]
      return this.ffnNorm.apply(tf.add(x, dropout(fed, rate, this.dropoutRng, training))) as tf.Tensor3D; // [B, Tq, d]
    });
  }
}
