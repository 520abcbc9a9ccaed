import * as tf from '@tensorflow/tfjs-core';
import {
  ATTENTION_VARIANTS,
  AdditiveAttention,
  BaseModule,
  DotProductAttention,
  FeedForward,
  GeneralAttention,
  MultiHeadAttention,
  Rng,
  checkPositiveInt,
  checkRate,
  checkSeed,
  type Attention,
  type AttentionVariant,
} from '@spanrel/tensor-core';

// Shared with the Ji 2020 relation head (`@spanrel/relation-heads` imports it from here).

/** The attention fields a Ji 2020 head accepts in its own config (same names in both heads). */
export interface Ji2020AttentionFields {
  /** Attention variant of the contextual representations (Ji 2020 section 3.3). Default `"multi-head"` (the paper's main model, SPAN_Multi-Head). */
  attention?: AttentionVariant;
  /** Heads of the multi-head variant. Default 8 (section 4.2). */
  numHeads?: number;
  /**
   * Common size Q and K are projected to: the multi-head / dot-product projections,
   * the tanh layer of the additive variant (unused by `general`). Must be divisible
   * by `numHeads` for multi-head. Default: the size of the keys (D).
   */
  projectionDim?: number;
  /**
   * Fully connected layers of each Q / K projection FFNN of the multi-head and
   * dot-product variants ("we first apply different multi-layer FFNNs to Q and K",
   * section 3.3; "all other FFNNs contain two layers", section 4.2). Default 2.
   */
  projectionLayers?: number;
  /** Dropout on the attention weights while training. Default 0. */
  attentionDropout?: number;
}

/** The attention fields with defaults filled in. */
export type ResolvedJi2020AttentionFields = Required<Ji2020AttentionFields>;

/** Names of the attention fields, for a head's list of known config fields. */
export const JI2020_ATTENTION_FIELDS = ['attention', 'numHeads', 'projectionDim', 'projectionLayers', 'attentionDropout'] as const;

/**
 * Checks a head's attention fields and fills in the defaults, with errors that
 * name the head (`kind`) and the field.
 *
 * @param keyDim D, the size of the keys (the default `projectionDim`)
 */
export function resolveJi2020AttentionFields(kind: string, config: Ji2020AttentionFields, keyDim: number): ResolvedJi2020AttentionFields {
  const attention = config.attention ?? 'multi-head';
  if (!ATTENTION_VARIANTS.includes(attention)) {
    throw new Error(`${kind}: config.attention must be one of ${ATTENTION_VARIANTS.join(', ')}, got ${JSON.stringify(config.attention)}`);
  }
  const resolved = {
    attention,
    numHeads: checkPositiveInt(kind, 'numHeads', config.numHeads ?? 8),
    projectionDim: checkPositiveInt(kind, 'projectionDim', config.projectionDim ?? keyDim),
    projectionLayers: checkPositiveInt(kind, 'projectionLayers', config.projectionLayers ?? 2),
    attentionDropout: checkRate(kind, 'attentionDropout', config.attentionDropout ?? 0),
  };
  if (attention === 'multi-head' && resolved.projectionDim % resolved.numHeads !== 0) {
    throw new Error(
      `${kind}: config.projectionDim (${resolved.projectionDim}) must be divisible by config.numHeads (${resolved.numHeads}) for multi-head attention; ` +
        'set projectionDim (default: the state size D) or numHeads',
    );
  }
  return resolved;
}

/** Config of {@link Ji2020ContextAttention}. */
export interface Ji2020ContextAttentionConfig extends ResolvedJi2020AttentionFields {
  /** Size of each query (F_s for spans, H_r for relations). */
  queryDim: number;
  /** D: size of the keys, which are also the values (B_S or B_c), and of the output. */
  keyDim: number;
  seed: number;
}

/**
 * `Attention(Q, K, K)` as Ji et al. 2020 use it for contextual representations
 * (T_s, F_r, T_r): the keys are also the values (word states), the output has
 * the size D of the states for every variant, and a query with no key gives 0.
 *
 * Q / K projections (section 3.3): for multi-head and dot-product attention, Q and
 * K each go through their own FFNN of `projectionLayers` fully connected layers to
 * `projectionDim` (ReLU between layers, the last linear):
 *
 * - multi-head: the first `projectionLayers - 1` layers (with ReLU) are the
 *   children `query` / `key`; the last layer is the multi-head attention's own
 *   linear Q / K projection (child `attention`, 8 heads, values projected
 *   linearly, output projected back to D);
 * - dot-product: both FFNNs live in the dot-product attention (`attention.query`,
 *   `attention.key`), score `w · (Q' ⊙ K')`;
 * - additive (`v^T tanh(W1 Q + W2 K)`) and general (`Q W K^T`) take Q and K as
 *   they are (the paper applies no FFNN to them); the output is the weighted sum
 *   of the values.
 *
 * Not registered: the Ji 2020 heads build it from their own config fields.
 */
export class Ji2020ContextAttention extends BaseModule {
  static readonly kind = 'ji2020-context-attention.v1';
  readonly name = Ji2020ContextAttention.kind;
  readonly queryDim: number;
  readonly keyDim: number;
  /** Always `keyDim` (D). */
  readonly outputDim: number;
  private readonly settings: Ji2020ContextAttentionConfig;
  private readonly queryProjection: FeedForward | null;
  private readonly keyProjection: FeedForward | null;
  private readonly attention: Attention;

  constructor(config: Ji2020ContextAttentionConfig) {
    super();
    const kind = Ji2020ContextAttention.kind;
    const queryDim = checkPositiveInt(kind, 'queryDim', config.queryDim);
    const keyDim = checkPositiveInt(kind, 'keyDim', config.keyDim);
    this.settings = { queryDim, keyDim, seed: checkSeed(kind, config.seed), ...resolveJi2020AttentionFields(kind, config, keyDim) };
    const s = this.settings;
    this.queryDim = queryDim;
    this.keyDim = keyDim;
    this.outputDim = keyDim;
    const rng = new Rng(s.seed);
    const preLayers = s.attention === 'multi-head' ? s.projectionLayers - 1 : 0; // layers in front of the MHA's own projection
    const preProjection = (name: string, inputDim: number) =>
      preLayers === 0
        ? null
        : this.addChild(
            name,
            new FeedForward({
              inputDim,
              hiddenDims: new Array<number>(preLayers - 1).fill(s.projectionDim),
              outputDim: s.projectionDim,
              activation: 'relu',
              outputActivation: 'relu', // the MHA's linear projection follows: together an FFNN with a linear last layer
              seed: rng.seed(),
            }),
          );
    this.queryProjection = preProjection('query', this.queryDim);
    this.keyProjection = preProjection('key', this.keyDim);
    this.attention = this.addChild('attention', this.buildAttention(preLayers > 0, rng.seed()));
  }

  config(): Ji2020ContextAttentionConfig {
    return { ...this.settings };
  }

  /**
   * @param query `[B, Tq, queryDim]`
   * @param keys `[B, Tk, keyDim]` (also the values)
   * @param keyMask non-zero = attend; `[B, Tk]` or `[B, Tq, Tk]`
   * @returns `[B, Tq, keyDim]`; the 0 vector for a query with no key
   */
  apply(query: tf.Tensor3D, keys: tf.Tensor3D, keyMask: tf.Tensor, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const q = this.queryProjection ? (this.queryProjection.apply(query, training) as tf.Tensor3D) : query; // [B, Tq, P | queryDim]
      const k = this.keyProjection ? (this.keyProjection.apply(keys, training) as tf.Tensor3D) : keys; // [B, Tk, P | D]
      return this.attention.apply(q, k, keys, keyMask, training); // [B, Tq, D]
    });
  }

  private buildAttention(projected: boolean, seed: number): Attention {
    const s = this.settings;
    const shared = { keyDim: this.keyDim, valueDim: this.keyDim, attentionDropout: s.attentionDropout, seed };
    switch (s.attention) {
      case 'multi-head':
        return new MultiHeadAttention({
          ...shared,
          queryDim: projected ? s.projectionDim : this.queryDim,
          keyDim: projected ? s.projectionDim : this.keyDim,
          numHeads: s.numHeads,
          hiddenDim: s.projectionDim,
          outputDim: this.keyDim,
        });
      case 'dot-product':
        return new DotProductAttention({
          ...shared,
          queryDim: this.queryDim,
          hiddenDim: s.projectionDim,
          projectionHiddenDims: new Array<number>(s.projectionLayers - 1).fill(s.projectionDim),
          projectionActivation: 'relu',
        });
      case 'additive':
        return new AdditiveAttention({ ...shared, queryDim: this.queryDim, hiddenDim: s.projectionDim });
      case 'general':
        return new GeneralAttention({ ...shared, queryDim: this.queryDim });
    }
  }
}
