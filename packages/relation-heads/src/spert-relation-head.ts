import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { Dense, checkPositiveNumber, checkRate, dropout, maskedMaxPool, pairGather } from '@spanrel/tensor-core';
import { BaseRelationHead } from './base-relation-head.js';
import { decodeMultiLabel } from './decode-relations.js';
import type { PairBatch } from './pair-batch.js';
import type { RelationHeadBaseConfig, RelationPrediction } from './relation-head.js';

/** Config of {@link SpertRelationHead}. */
export interface SpertRelationHeadConfig extends RelationHeadBaseConfig {
  /** Dropout on the pair representation before the classifier, while training. Default 0.1 (SpERT `prop_drop`). */
  dropout?: number;
  /** α: a type holds when its sigmoid is `>= threshold`. Default 0.4. */
  threshold?: number;
  /** Std of the normal initialiser of the kernel (biases start at 0). Default 0.02 (SpERT). */
  initStd?: number;
}

const OWN_FIELDS = ['dropout', 'threshold', 'initStd'] as const;

/**
 * SpERT's relation classifier (Eberts & Ulges 2019, section 3 (c), Eq. 4):
 * `x^r = [e(s1); c(s1, s2); e(s2)]`, where `e(s)` are the span representations
 * (max-pool + width embedding, the span head's `relationFeatures`) and
 * `c(s1, s2)` is the max-pool of the word states strictly between the two spans
 * (the 0 vector when there is none: adjacent, overlapping or nested spans).
 * Then dropout and one linear layer to R logits; a sigmoid per type, so a pair
 * may hold several types. Parameters `linear.kernel` `[2 spanDim + contextDim, R]`,
 * `linear.bias`. Registered as `"spert-relation-head.v1"`.
 *
 * Memory: a chunk of p pairs builds a `[B, p, T, D]` block for the context max-pool.
 *
 * ```ts
 * const head = new SpertRelationHead({ spanDim: spanHead.relationDim, contextDim: 768, numTypes: 5 });
 * const logits = head.score(enc, keptReps, allPairs(keptSpans, keptMask, T), false); // [B, P, 5]
 * const relations = head.predict(logits, pairs); // sigmoid >= 0.4, per sentence
 * ```
 */
export class SpertRelationHead extends BaseRelationHead {
  static readonly kind: string = 'spert-relation-head.v1';
  readonly name: string;
  readonly outputDim: number;
  readonly threshold: number;
  private readonly dropoutRate: number;
  private readonly initStd: number;
  private readonly linear: Dense;

  /** @param kind the registry name: subclasses that only reorder the parts (STSN) pass their own. */
  constructor(config: SpertRelationHeadConfig, kind: string = SpertRelationHead.kind) {
    super(kind, config, OWN_FIELDS);
    this.name = kind;
    this.dropoutRate = checkRate(kind, 'dropout', config.dropout ?? 0.1);
    this.threshold = config.threshold ?? 0.4;
    if (typeof this.threshold !== 'number' || !(this.threshold > 0 && this.threshold < 1)) {
      throw new Error(`${kind}: config.threshold must be a number in (0, 1), got ${JSON.stringify(config.threshold)}`);
    }
    this.initStd = checkPositiveNumber(kind, 'initStd', config.initStd ?? 0.02);
    this.outputDim = this.numTypes;
    this.linear = this.addChild(
      'linear',
      new Dense({ inputDim: 2 * this.inputDim + this.contextDim, outputDim: this.numTypes, kernelInit: 'normal', initStd: this.initStd, seed: this.initRng.seed() }),
    );
  }

  config(): Required<SpertRelationHeadConfig> {
    return { ...this.baseConfig(), dropout: this.dropoutRate, threshold: this.threshold, initStd: this.initStd };
  }

  protected scoreChunk(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    const { head, tail } = pairGather(spanReps, pairs.pairs); // [B, p, Ds] each
    const context = maskedMaxPool(enc.hidden, pairs.contextMask); // [B, p, D]; no word between -> 0
    const x = this.joinPair(head, context, tail); // [B, p, 2 Ds + D]
    return this.linear.apply(dropout(x, this.dropoutRate, this.dropoutRng, training)) as tf.Tensor3D; // [B, p, R]
  }

  /** SpERT's order of the pair representation: `[e(s1); c(s1, s2); e(s2)]`. */
  protected joinPair(head: tf.Tensor3D, context: tf.Tensor3D, tail: tf.Tensor3D): tf.Tensor3D {
    return tf.concat([head, context, tail], 2); // [B, p, 2 Ds + D]
  }

  /** Types with sigmoid `>= threshold` (0.4), several per pair possible. */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
    return decodeMultiLabel(logits, pairs, this.threshold);
  }
}
