import * as tf from '@tensorflow/tfjs-core';
import { FeedForward, batchedIndexSelect, batchedSpanSelect, checkBoolean, checkDims, checkRate, maskedMax, maskedSoftmax } from '@spanrel/tensor-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { BaseSpanHead } from '../base-span-head.js';
import type { SpanHeadBaseConfig, SpanPoolInput } from '../span-head.js';
import { JI2020_HYPERPARAMETERS } from './hyperparameters.js';
import { JI2020_ATTENTION_FIELDS, Ji2020ContextAttention, resolveJi2020AttentionFields, type Ji2020AttentionFields } from './ji2020-context-attention.js';
import { sentenceStates } from './sentence-states.js';

/**
 * Config of {@link Ji2020SpanHead}: the shared span-head fields (defaults `widthDim` 50,
 * `widthDropout` 0, `useCls` false), the attention fields, and its own.
 */
export interface Ji2020SpanHeadConfig extends SpanHeadBaseConfig, Ji2020AttentionFields {
  /**
   * Hidden layers of `MLP_k`, the scorer of the span-specific MLP attention. Default
   * `[500]`: two fully connected layers (section 4.2, "all other FFNNs contain two
   * layers"), 500 units as in Dixit & Al-Onaizan's MLPs, whose MLP attention Ji et al. use.
   */
  spanAttentionHiddenDims?: number[];
  /** Dropout between the layers of `MLP_k` while training. Default 0.2 (section 4.2). */
  dropout?: number;
  /** `false` = the -SpanSpecific ablation (section 5.1): `[F_s; H_s]` becomes the max-pool of the span's states. Default true. */
  spanSpecific?: boolean;
  /** `false` = the -SentenceLevel ablation (section 5.1): `T_s` becomes `[CLS]`. Default true. */
  sentenceLevel?: boolean;
}

const OWN_FIELDS = [...JI2020_ATTENTION_FIELDS, 'spanAttentionHiddenDims', 'dropout', 'spanSpecific', 'sentenceLevel'] as const;

/**
 * Ji et al. 2020's span representation (section 3.1, Eq. 4): `R_s = [T_s; F_s; H_s; W]`:
 *
 * - `H_s = [X_i; X_{i+j}]`: the states of the span's first and last word (a
 *   one-word span repeats its state);
 * - `F_s = Σ_k α_k X_k`, `α = softmax over the span of V_k = MLP_k(X_k)`: the
 *   span-specific MLP attention;
 * - `T_s = Attention(F_s, B_S, B_S)`: sentence-level context, `F_s` attending over
 *   `B_S = [X_0 = [CLS]; X_1 .. X_n]` (the encoder's `cls` and the real words) with the
 *   configured variant (`attention`, default multi-head with 8 heads; Q/K FFNNs
 *   where section 3.3 applies them, see {@link Ji2020ContextAttention});
 * - `W`: a learned width embedding (50).
 *
 * Ablations (section 5.1): `spanSpecific: false` replaces `[F_s; H_s]` with the
 * max-pool of the span's states, which is then also the query of `T_s`;
 * `sentenceLevel: false` replaces `T_s` with `[CLS]` (in the same slot).
 *
 * Sizes: `poolDim = D + (spanSpecific ? 3D : D)`; `outputDim = relationDim =
 * poolDim + widthDim` (the relation head's `H_r` uses the whole `R_s`, Eq. 5).
 * Padding spans get the 0 vector. Parameters `width.weight`, `spanAttention.layers.<i>.*`
 * (with `spanSpecific`), `sentenceAttention.*` (with `sentenceLevel`).
 * Registered as `"ji2020-span-head.v1"`.
 *
 * ```ts
 * const head = new Ji2020SpanHead({ inputDim: 768 });         // outputDim 4 * 768 + 50 = 3122
 * const reps = head.embed(enc, spans, spanMask, true);         // [B, S, 3122]
 * const logits = new MlpEntityClassifier({ inputDim: head.outputDim, numTypes: 7, hiddenDims: [500] }).classify(reps, true);
 * ```
 */
export class Ji2020SpanHead extends BaseSpanHead {
  static readonly kind = 'ji2020-span-head.v1';
  readonly name = Ji2020SpanHead.kind;
  private readonly own: Required<Omit<Ji2020SpanHeadConfig, keyof SpanHeadBaseConfig>>;
  /** `MLP_k` (null under -SpanSpecific). */
  private readonly spanAttention: FeedForward | null;
  /** The attention of `T_s` (null under -SentenceLevel). */
  private readonly sentenceAttention: Ji2020ContextAttention | null;

  constructor(config: Ji2020SpanHeadConfig) {
    super(Ji2020SpanHead.kind, config, { widthDim: JI2020_HYPERPARAMETERS.widthEmbeddingDim, widthDropout: 0, useCls: false }, OWN_FIELDS);
    const kind = Ji2020SpanHead.kind;
    this.own = {
      ...resolveJi2020AttentionFields(kind, config, this.inputDim),
      spanAttentionHiddenDims: checkDims(kind, 'spanAttentionHiddenDims', config.spanAttentionHiddenDims ?? [500]),
      dropout: checkRate(kind, 'dropout', config.dropout ?? JI2020_HYPERPARAMETERS.dropout),
      spanSpecific: checkBoolean(kind, 'spanSpecific', config.spanSpecific ?? true),
      sentenceLevel: checkBoolean(kind, 'sentenceLevel', config.sentenceLevel ?? true),
    };
    const o = this.own;
    // Seeds are drawn in a fixed order whatever the flags, so a flag does not change the other weights.
    const spanAttentionSeed = this.initRng.seed();
    const sentenceAttentionSeed = this.initRng.seed();
    this.spanAttention = o.spanSpecific
      ? this.addChild(
          'spanAttention',
          new FeedForward({ inputDim: this.inputDim, hiddenDims: o.spanAttentionHiddenDims, outputDim: 1, activation: 'relu', dropout: o.dropout, seed: spanAttentionSeed }),
        )
      : null;
    this.sentenceAttention = o.sentenceLevel
      ? this.addChild(
          'sentenceAttention',
          new Ji2020ContextAttention({
            attention: o.attention,
            numHeads: o.numHeads,
            projectionDim: o.projectionDim,
            projectionLayers: o.projectionLayers,
            attentionDropout: o.attentionDropout,
            queryDim: this.inputDim,
            keyDim: this.inputDim,
            seed: sentenceAttentionSeed,
          }),
        )
      : null;
  }

  /** `[T_s; F_s; H_s]` = 4D, or `[T_s; maxpool]` = 2D under -SpanSpecific. */
  get poolDim(): number {
    return this.inputDim * (this.own.spanSpecific ? 4 : 2);
  }

  config(): Required<Ji2020SpanHeadConfig> {
    return { ...this.baseConfig(), ...this.own, spanAttentionHiddenDims: [...this.own.spanAttentionHiddenDims] };
  }

  protected pool({ enc, spans, maxWidth, training }: SpanPoolInput): tf.Tensor3D {
    const words = batchedSpanSelect(enc.hidden, spans, maxWidth); // values [B, S, W, D], mask [B, S, W]
    const { query, parts } = this.spanAttention
      ? this.spanSpecificFeatures(enc, spans, words.values, words.mask, maxWidth, training) // query F_s, parts [F_s; H_s]
      : this.maxPooledFeatures(words.values, words.mask); // -SpanSpecific: query and part = maxpool
    return tf.concat([this.sentenceContext(enc, query, training), ...parts], 2) as tf.Tensor3D; // [B, S, poolDim]
  }

  /** -SpanSpecific: the max-pool of the span's states (`[B, S, D]`, 0 for an empty span) stands for `[F_s; H_s]` and is the query of `T_s`. */
  private maxPooledFeatures(values: tf.Tensor4D, mask: tf.Tensor3D): { query: tf.Tensor3D; parts: tf.Tensor3D[] } {
    const pooled = maskedMax(values, mask, 2) as tf.Tensor3D; // [B, S, D]
    return { query: pooled, parts: [pooled] };
  }

  /** `F_s` (MLP attention over the span's words) and `H_s` (first and last word); `F_s` is the query of `T_s`. */
  private spanSpecificFeatures(
    enc: EncoderOutput,
    spans: tf.Tensor3D,
    values: tf.Tensor4D,
    mask: tf.Tensor3D,
    maxWidth: number,
    training: boolean,
  ): { query: tf.Tensor3D; parts: tf.Tensor3D[] } {
    const [batchSize, seqLen, dim] = enc.hidden.shape; // B, T, D
    const numSpans = spans.shape[1]; // S
    // V_k = MLP_k(X_k) for every word once, then picked per span (cheaper than scoring [B, S, W, D]).
    const wordScores = this.spanAttention!.apply(enc.hidden, training) as tf.Tensor3D; // [B, T, 1]
    const spanScores = tf.squeeze(batchedSpanSelect(wordScores, spans, maxWidth).values, [3]); // [B, S, W]
    const alphas = maskedSoftmax(spanScores, mask, -1); // [B, S, W]; an empty (padding) span -> 0
    const flatAlphas = tf.reshape(alphas, [batchSize * numSpans, 1, maxWidth]); // [B*S, 1, W]
    const flatWords = tf.reshape(values, [batchSize * numSpans, maxWidth, dim]); // [B*S, W, D]
    const spanSpecific = tf.reshape(tf.matMul(flatAlphas, flatWords), [batchSize, numSpans, dim]) as tf.Tensor3D; // [B, S, D] F_s

    const lastWord = tf.scalar(seqLen - 1, 'int32');
    const clampWord = (t: tf.Tensor) => tf.minimum(tf.maximum(t, tf.scalar(0, 'int32')), lastWord); // padding spans may hold anything
    const firsts = clampWord(tf.squeeze(tf.slice(spans, [0, 0, 0], [-1, -1, 1]), [2])); // [B, S] i
    const lasts = clampWord(tf.sub(tf.squeeze(tf.slice(spans, [0, 0, 1], [-1, -1, 1]), [2]), tf.scalar(1, 'int32'))); // [B, S] i + j
    const headTail = tf.concat([batchedIndexSelect(enc.hidden, firsts), batchedIndexSelect(enc.hidden, lasts)], 2) as tf.Tensor3D; // [B, S, 2D] H_s
    return { query: spanSpecific, parts: [spanSpecific, headTail] };
  }

  /** `T_s = Attention(query, B_S, B_S)`, or `[CLS]` under -SentenceLevel. `[B, S, D]`. */
  private sentenceContext(enc: EncoderOutput, query: tf.Tensor3D, training: boolean): tf.Tensor3D {
    const [batchSize, numSpans, dim] = query.shape; // B, S, D
    if (!this.sentenceAttention) return tf.broadcastTo(tf.reshape(enc.cls, [batchSize, 1, dim]), [batchSize, numSpans, dim]) as tf.Tensor3D; // [B, S, D]
    const sentence = sentenceStates(enc); // states [B, T + 1, D], mask [B, T + 1]
    return this.sentenceAttention.apply(query, sentence.states, sentence.mask, training); // [B, S, D]
  }
}
