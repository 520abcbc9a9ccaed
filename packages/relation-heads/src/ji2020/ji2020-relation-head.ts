import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { FeedForward, checkBoolean, checkDims, checkRate, dropout, maskedMaxPool, pairGather } from '@spanrel/tensor-core';
import { BaseRelationHead } from '../base-relation-head.js';
import { decodeMultiLabel, decodeSoftmax } from '../decode-relations.js';
import type { PairBatch } from '../pair-batch.js';
import type { RelationHeadBaseConfig, RelationPrediction } from '../relation-head.js';
import { JI2020_ATTENTION_FIELDS, Ji2020ContextAttention, resolveJi2020AttentionFields, sentenceStates, type Ji2020AttentionFields } from '@spanrel/span-heads';

/** How relation logits turn into a decision: one softmax over `none` + types, or one sigmoid per type. */
export type Ji2020RelationActivation = 'softmax' | 'sigmoid';

/**
 * Config of {@link Ji2020RelationHead}. The FFNN sizes are not in the paper (only
 * their depth is); the defaults are ours, in fractions of D = `contextDim`, so
 * that the contextual parts stay a small share of `R_r` (section 5.2).
 */
export interface Ji2020RelationHeadConfig extends RelationHeadBaseConfig, Ji2020AttentionFields {
  /** Output sizes of the layers of `FFNN(R_s)` (two layers, section 4.2). Default `[D, D/2]`, so `H_r` has size D. */
  spanFfnDims?: number[];
  /** Output sizes of the layers of `FFNN_F` (three layers, section 4.2). Default `[D, D/2, D/4]`. */
  localFfnDims?: number[];
  /** Output sizes of the layers of `FFNN_T` (three layers, section 4.2). Default `[D/2, D/4, D/8]`. */
  sentenceFfnDims?: number[];
  /** Hidden layers of the classifier FFNN over `R_r` (two layers with the output layer). Default `[D/2]`. */
  classifierHiddenDims?: number[];
  /** Dropout between FFNN layers and on `R_r` before the classifier, while training. Default 0.2 (section 4.2). */
  dropout?: number;
  /**
   * `'sigmoid'` (default): R logits, a sigmoid per type, `threshold`, trained with
   * `relationBinaryCrossEntropy` (section 3.4's loss). `'softmax'`: R + 1 logits,
   * class 0 = NoneRelation, argmax (section 3.2's `y_r = Softmax(FFNN(R_r))`),
   * trained with `relationCrossEntropy`.
   */
  relationActivation?: Ji2020RelationActivation;
  /** With `'sigmoid'`: a type holds when its sigmoid is `>= threshold`. Default 0.4 (SpERT's, which section 4.2 defers to). */
  threshold?: number;
  /** `false` = the -local ablation (section 5.2): `F_r` becomes the max-pool of `B_c` (0 when empty). Default true. */
  local?: boolean;
  /** `false` = the -SentenceLevel ablation (section 5.2): `FFNN_T(T_r)` is dropped from `R_r`. Default true. */
  sentenceLevel?: boolean;
}

const OWN_FIELDS = [
  ...JI2020_ATTENTION_FIELDS,
  'spanFfnDims',
  'localFfnDims',
  'sentenceFfnDims',
  'classifierHiddenDims',
  'dropout',
  'relationActivation',
  'threshold',
  'local',
  'sentenceLevel',
] as const;

type OwnSettings = Required<Omit<Ji2020RelationHeadConfig, keyof RelationHeadBaseConfig>>;

/** `max(1, round(d / k))`: a default layer size as a fraction of D. */
const fraction = (d: number, k: number) => Math.max(1, Math.round(d / k));

/**
 * Ji et al. 2020's relation classifier (section 3.2, Eq. 9):
 * `R_r = [H_r; FFNN_F(F_r); FFNN_T(T_r)]`, `y_r = FFNN(R_r)`, with
 *
 * - `H_r = [FFNN(R_s1); FFNN(R_s2)]`: one shared two-layer FFNN shrinks each span
 *   representation (the span head's whole `R_s`);
 * - `F_r = Attention(H_r, B_c, B_c)`: the pair attends over the words strictly
 *   between its spans (`pairs.contextMask`); no word between (adjacent, overlapping
 *   or nested spans) gives `F_r = 0`;
 * - `T_r = Attention(H_r, B_S, B_S)`: the pair attends over `[CLS]` and the sentence's words;
 * - `FFNN_F`, `FFNN_T`: three layers each; the classifier FFNN: two.
 *
 * The attention variant and its Q / K projections are configured as for the span
 * head (`attention`, default multi-head with 8 heads). Representation FFNNs use
 * ReLU on every layer; the classifier's last layer is linear (logits).
 *
 * Ablations (section 5.2): `local: false` replaces `F_r` with the max-pool of `B_c`
 * (still through `FFNN_F`); `sentenceLevel: false` drops `FFNN_T(T_r)`.
 *
 * Outputs: `'sigmoid'` (default) R logits decoded with `threshold`; `'softmax'`
 * R + 1 logits, class 0 = NoneRelation. Parameters `spanFfn.*`, `localAttention.*`
 * (with `local`), `localFfn.*`, `sentenceAttention.*` / `sentenceFfn.*` (with
 * `sentenceLevel`), `classifier.*`. Registered as `"ji2020-relation-head.v1"`.
 *
 * Memory per chunk of p pairs: attention scores `[B, (h,) p, T + 1]`; the additive
 * variant builds `[B, p, T + 1, projectionDim]`, the -local max-pool `[B, p, T, D]`.
 *
 * ```ts
 * const head = new Ji2020RelationHead({ spanDim: spanHead.relationDim, contextDim: 768, numTypes: 5 });
 * const logits = head.score(enc, keptReps, allPairs(keptSpans, keptMask, T), false); // [B, P, 5]
 * const relations = head.predict(logits, pairs);
 * ```
 */
export class Ji2020RelationHead extends BaseRelationHead {
  static readonly kind = 'ji2020-relation-head.v1';
  readonly name = Ji2020RelationHead.kind;
  readonly outputDim: number;
  /** Size of `R_r`, the input of the classifier FFNN. */
  readonly representationDim: number;
  private readonly own: OwnSettings;
  private readonly spanFfn: FeedForward;
  private readonly localAttention: Ji2020ContextAttention | null;
  private readonly localFfn: FeedForward;
  private readonly sentenceAttention: Ji2020ContextAttention | null;
  private readonly sentenceFfn: FeedForward | null;
  private readonly classifier: FeedForward;

  constructor(config: Ji2020RelationHeadConfig) {
    super(Ji2020RelationHead.kind, config, OWN_FIELDS);
    const kind = Ji2020RelationHead.kind;
    const d = this.contextDim;
    const activation = config.relationActivation ?? 'sigmoid';
    if (activation !== 'sigmoid' && activation !== 'softmax') {
      throw new Error(`${kind}: config.relationActivation must be "sigmoid" or "softmax", got ${JSON.stringify(config.relationActivation)}`);
    }
    const threshold = config.threshold ?? 0.4;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
      throw new Error(`${kind}: config.threshold must be a number in (0, 1), got ${JSON.stringify(config.threshold)}`);
    }
    const layerSizes = (field: 'spanFfnDims' | 'localFfnDims' | 'sentenceFfnDims', fallback: number[]) => {
      const dims = checkDims(kind, field, config[field] ?? fallback);
      if (dims.length === 0) throw new Error(`${kind}: config.${field} must list at least one layer size`);
      return dims;
    };
    this.own = {
      ...resolveJi2020AttentionFields(kind, config, d),
      spanFfnDims: layerSizes('spanFfnDims', [d, fraction(d, 2)]),
      localFfnDims: layerSizes('localFfnDims', [d, fraction(d, 2), fraction(d, 4)]),
      sentenceFfnDims: layerSizes('sentenceFfnDims', [fraction(d, 2), fraction(d, 4), fraction(d, 8)]),
      classifierHiddenDims: checkDims(kind, 'classifierHiddenDims', config.classifierHiddenDims ?? [fraction(d, 2)]),
      dropout: checkRate(kind, 'dropout', config.dropout ?? 0.2),
      relationActivation: activation,
      threshold,
      local: checkBoolean(kind, 'local', config.local ?? true),
      sentenceLevel: checkBoolean(kind, 'sentenceLevel', config.sentenceLevel ?? true),
    };
    const o = this.own;
    this.outputDim = o.relationActivation === 'softmax' ? this.numTypes + 1 : this.numTypes;

    // Seeds are drawn in a fixed order whatever the flags, so a flag does not change the other weights.
    const seeds = Array.from({ length: 6 }, () => this.initRng.seed());
    const representationFfn = (inputDim: number, dims: number[], seed: number) =>
      new FeedForward({ inputDim, hiddenDims: dims.slice(0, -1), outputDim: dims[dims.length - 1], activation: 'relu', outputActivation: 'relu', dropout: o.dropout, seed });
    const contextAttention = (queryDim: number, seed: number) =>
      new Ji2020ContextAttention({
        attention: o.attention,
        numHeads: o.numHeads,
        projectionDim: o.projectionDim,
        projectionLayers: o.projectionLayers,
        attentionDropout: o.attentionDropout,
        queryDim,
        keyDim: d,
        seed,
      });
    this.spanFfn = this.addChild('spanFfn', representationFfn(this.inputDim, o.spanFfnDims, seeds[0]));
    const pairDim = 2 * this.spanFfn.outputDim; // H_r
    this.localAttention = o.local ? this.addChild('localAttention', contextAttention(pairDim, seeds[1])) : null;
    this.localFfn = this.addChild('localFfn', representationFfn(d, o.localFfnDims, seeds[2]));
    this.sentenceAttention = o.sentenceLevel ? this.addChild('sentenceAttention', contextAttention(pairDim, seeds[3])) : null;
    this.sentenceFfn = o.sentenceLevel ? this.addChild('sentenceFfn', representationFfn(d, o.sentenceFfnDims, seeds[4])) : null;
    this.representationDim = pairDim + this.localFfn.outputDim + (this.sentenceFfn ? this.sentenceFfn.outputDim : 0);
    this.classifier = this.addChild(
      'classifier',
      new FeedForward({ inputDim: this.representationDim, hiddenDims: o.classifierHiddenDims, outputDim: this.outputDim, activation: 'relu', dropout: o.dropout, seed: seeds[5] }),
    );
  }

  config(): Required<Ji2020RelationHeadConfig> {
    const o = this.own;
    return {
      ...this.baseConfig(),
      ...o,
      spanFfnDims: [...o.spanFfnDims],
      localFfnDims: [...o.localFfnDims],
      sentenceFfnDims: [...o.sentenceFfnDims],
      classifierHiddenDims: [...o.classifierHiddenDims],
    };
  }

  protected scoreChunk(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    const shrunk = this.spanFfn.apply(spanReps, training) as tf.Tensor3D; // [B, K, Dh] FFNN(R_s), once per span
    const { head, tail } = pairGather(shrunk, pairs.pairs); // [B, p, Dh] each
    const pairRep = tf.concat([head, tail], 2) as tf.Tensor3D; // [B, p, 2 Dh] H_r
    const parts: tf.Tensor[] = [pairRep, this.localFfn.apply(this.localContext(enc, pairRep, pairs.contextMask, training), training)]; // + [B, p, Df]
    if (this.sentenceAttention && this.sentenceFfn) {
      const sentence = sentenceStates(enc); // states [B, T + 1, D], mask [B, T + 1]
      const sentenceContext = this.sentenceAttention.apply(pairRep, sentence.states, sentence.mask, training); // [B, p, D] T_r
      parts.push(this.sentenceFfn.apply(sentenceContext, training)); // [B, p, Dt]
    }
    const relationRep = tf.concat(parts, 2); // [B, p, representationDim] R_r
    return this.classifier.apply(dropout(relationRep, this.own.dropout, this.dropoutRng, training), training) as tf.Tensor3D; // [B, p, outputDim]
  }

  /** `F_r = Attention(H_r, B_c, B_c)`, or the max-pool of `B_c` under -local; 0 when no word lies between. `[B, p, D]`. */
  private localContext(enc: EncoderOutput, pairRep: tf.Tensor3D, contextMask: tf.Tensor3D, training: boolean): tf.Tensor3D {
    if (this.localAttention) return this.localAttention.apply(pairRep, enc.hidden, contextMask, training); // [B, p, D]
    return maskedMaxPool(enc.hidden, contextMask); // [B, p, D]
  }

  /** `'sigmoid'`: every type with sigmoid `>= threshold`; `'softmax'`: the argmax class, none (class 0) giving no relation. */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
    return this.own.relationActivation === 'softmax' ? decodeSoftmax(logits, pairs) : decodeMultiLabel(logits, pairs, this.own.threshold);
  }
}
