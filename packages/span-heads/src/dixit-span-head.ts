import * as tf from '@tensorflow/tfjs-core';
import { FeedForward, batchedIndexSelect, batchedSpanSelect, maskedSoftmax } from '@spanrel/tensor-core';
import { BaseSpanHead } from './base-span-head.js';
import { checkActivation, checkDims, checkPositiveInt, checkRate, type ActivationName } from '@spanrel/tensor-core';
import type { SpanHeadBaseConfig, SpanPoolInput } from './span-head.js';

/** Config of {@link DixitSpanHead} (defaults: `widthDim` 20, `widthDropout` 0.2, `useCls` false). */
export interface DixitSpanHeadConfig extends SpanHeadBaseConfig {
  /**
   * E, the size of the encoder's fixed word vectors (`enc.wordVectors`), which the
   * attention head averages. `null` (default): the encoder has none, so the head
   * averages the word states (`enc.hidden`, E = D) instead.
   */
  wordVectorDim?: number | null;
  /** Hidden layers of `MLP_alpha`, the attention scorer. Default `[500, 500]` (Dixit: every MLP has two 500-unit ReLU layers). */
  attentionHiddenDims?: number[];
  /** Dropout between the layers of `MLP_alpha` while training. Default 0.2. */
  attentionDropout?: number;
  /** Activation of `MLP_alpha`'s hidden layers. Default `relu` (the paper); see `MlpEntityClassifierConfig.activation` on smooth ones. */
  attentionActivation?: ActivationName;
}

const OWN_FIELDS = ['wordVectorDim', 'attentionHiddenDims', 'attentionDropout', 'attentionActivation'] as const;

/**
 * Dixit & Al-Onaizan 2019's span representation (section 3.1, after Lee et al. 2017):
 * `g_i = [x*_START(i); x*_END(i); x̂_i; φ(i)]` with
 *
 * - `x*_START`, `x*_END`: the word states at the span's first and last word
 *   (END is inclusive in the paper, so it is word `end - 1` of `[start, end)`);
 * - `x̂_i = Σ_t β_{i,t} x_t`, `β_{i,·} = softmax over the span of α_t`, `α_t = MLP_α(x*_t)`:
 *   an attention "head word" — scored from the states, averaging the fixed word
 *   vectors `x_t` (or the states when the encoder has no fixed vectors);
 * - `φ(i)`: a learned 20-dim width embedding, with dropout 0.2.
 *
 * `relationDim === outputDim = 2D + E + widthDim`. Parameters `width.weight`,
 * `attention.layers.<i>.*`. Registered as `"dixit-span-head.v1"`.
 *
 * ```ts
 * const head = new DixitSpanHead({ inputDim: 400, wordVectorDim: 50 }); // outputDim 400 + 400 + 50 + 20
 * const reps = head.embed(enc, spans, spanMask, true);                   // [B, S, 870]
 * ```
 */
export class DixitSpanHead extends BaseSpanHead {
  static readonly kind = 'dixit-span-head.v1';
  readonly name = DixitSpanHead.kind;
  /** E: the size of the vectors the attention averages. */
  readonly attendedDim: number;
  private readonly wordVectorDim: number | null;
  private readonly attentionHiddenDims: number[];
  private readonly attentionDropout: number;
  private readonly attentionActivation: ActivationName;
  private readonly attention: FeedForward;

  constructor(config: DixitSpanHeadConfig) {
    super(DixitSpanHead.kind, config, { widthDim: 20, widthDropout: 0.2, useCls: false }, OWN_FIELDS);
    const kind = DixitSpanHead.kind;
    const wordVectorDim = config.wordVectorDim ?? null;
    this.wordVectorDim = wordVectorDim === null ? null : checkPositiveInt(kind, 'wordVectorDim', wordVectorDim);
    this.attentionHiddenDims = checkDims(kind, 'attentionHiddenDims', config.attentionHiddenDims ?? [500, 500]);
    this.attentionDropout = checkRate(kind, 'attentionDropout', config.attentionDropout ?? 0.2);
    this.attentionActivation = checkActivation(kind, 'attentionActivation', config.attentionActivation ?? 'relu');
    this.attendedDim = this.wordVectorDim ?? this.inputDim;
    this.attention = this.addChild(
      'attention',
      new FeedForward({
        inputDim: this.inputDim,
        hiddenDims: this.attentionHiddenDims,
        outputDim: 1,
        activation: this.attentionActivation,
        dropout: this.attentionDropout,
        seed: this.initRng.seed(),
      }),
    );
  }

  get poolDim(): number {
    return 2 * this.inputDim + this.attendedDim;
  }

  config(): Required<DixitSpanHeadConfig> {
    return {
      ...this.baseConfig(),
      wordVectorDim: this.wordVectorDim,
      attentionHiddenDims: [...this.attentionHiddenDims],
      attentionDropout: this.attentionDropout,
      attentionActivation: this.attentionActivation,
    };
  }

  protected pool({ enc, spans, maxWidth, training }: SpanPoolInput): tf.Tensor3D {
    const attended = this.attendedVectors(enc.hidden, enc.wordVectors); // [B, T, E]
    const [batchSize, seqLen] = enc.hidden.shape; // B, T
    const numSpans = spans.shape[1]; // S
    const lastWord = tf.scalar(seqLen - 1, 'int32');
    const clampWord = (t: tf.Tensor) => tf.minimum(tf.maximum(t, tf.scalar(0, 'int32')), lastWord); // padding spans may hold anything
    const starts = clampWord(tf.squeeze(tf.slice(spans, [0, 0, 0], [-1, -1, 1]), [2])); // [B, S]
    const lasts = clampWord(tf.sub(tf.squeeze(tf.slice(spans, [0, 0, 1], [-1, -1, 1]), [2]), tf.scalar(1, 'int32'))); // [B, S] inclusive END
    const startStates = batchedIndexSelect(enc.hidden, starts); // [B, S, D]
    const endStates = batchedIndexSelect(enc.hidden, lasts); // [B, S, D]

    const scores = this.attention.apply(enc.hidden, training) as tf.Tensor3D; // [B, T, 1] α_t
    const spanScores = batchedSpanSelect(scores, spans, maxWidth); // values [B, S, W, 1], mask [B, S, W]
    const weights = maskedSoftmax(tf.squeeze(spanScores.values, [3]), spanScores.mask, -1); // [B, S, W] β; 0 for an empty span
    const spanWords = batchedSpanSelect(attended, spans, maxWidth).values; // [B, S, W, E]
    const flatWeights = tf.reshape(weights, [batchSize * numSpans, 1, maxWidth]); // [B*S, 1, W]
    const flatWords = tf.reshape(spanWords, [batchSize * numSpans, maxWidth, this.attendedDim]); // [B*S, W, E]
    const headWord = tf.reshape(tf.matMul(flatWeights, flatWords), [batchSize, numSpans, this.attendedDim]); // [B, S, E] x̂

    return tf.concat([startStates, endStates, headWord], 2) as tf.Tensor3D; // [B, S, 2D + E]
  }

  /** The vectors x_t the attention averages: the fixed word vectors, or the states when configured without them. */
  private attendedVectors(hidden: tf.Tensor3D, wordVectors: tf.Tensor3D | undefined): tf.Tensor3D {
    if (this.wordVectorDim === null) return hidden;
    const [batchSize, seqLen] = hidden.shape;
    if (!wordVectors) {
      throw new Error(
        `${this.name}: config.wordVectorDim is ${this.wordVectorDim} but the encoder output has no wordVectors; ` +
          'set wordVectorDim to null to attend over the word states instead',
      );
    }
    if (wordVectors.rank !== 3 || wordVectors.shape[0] !== batchSize || wordVectors.shape[1] !== seqLen || wordVectors.shape[2] !== this.wordVectorDim) {
      throw new Error(
        `${this.name}: enc.wordVectors must be [B=${batchSize}, T=${seqLen}, wordVectorDim=${this.wordVectorDim}], got [${wordVectors.shape.join(', ')}]`,
      );
    }
    return wordVectors;
  }
}
