import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/encoders';
import { Dense, checkPositiveNumber, checkRate, dropout, maskedMax, pairGather } from '@spanrel/tensor-core';
import { BaseRelationHead } from '../base-relation-head.js';
import { decodeMultiLabel } from '../decode-relations.js';
import type { PairBatch } from '../pair-batch.js';
import type { RelationHeadBaseConfig, RelationPrediction } from '../relation-head.js';

/** Config of {@link StsnRelationHead}. */
export interface StsnRelationHeadConfig extends RelationHeadBaseConfig {
  /** Dropout on the pair representation before the classifier, while training. Default 0.1 (SpERT's, which STSN follows; the paper does not say). */
  dropout?: number;
  /** α: a type holds when its sigmoid is `>= threshold`. Default 0.4 (STSN section 4.1). */
  threshold?: number;
  /** Std of the normal initialiser of the kernel (biases start at 0). Default 0.02. */
  initStd?: number;
}

const OWN_FIELDS = ['dropout', 'threshold', 'initStd'] as const;

/**
 * STSN's relation decoder (Ji et al., section 3.3): `E_r = [E_s1; E_s2; C_r]`, then
 * one linear layer and a sigmoid per relation type; types with a score `>= α` (0.4) hold.
 *
 * Everything is read from the relation view with label embeddings, `[H_R^N; H_L'^N]`,
 * which the joint model passes as `enc` (`StsnTagger.decoderInputs(...).relation` in
 * `@spanrel/span-heads`, so `contextDim` is that view's size):
 *
 * - `E_s1`, `E_s2` are the span representations the pairs index (`spanReps`): the
 *   STSN span head's `[h_start; h_end; width]` computed over the relation view
 *   (`spanHead.embed(relation, spans, spanMask, training)`), "in the same way as in
 *   the NER decoder";
 * - `C_r` follows SpERT: the max-pool of the view over the words strictly between
 *   the two spans (the 0 vector when there is none: adjacent, overlapping or nested spans).
 *
 * Parameters `linear.kernel` `[2 spanDim + contextDim, R]`, `linear.bias`.
 * Registered as `"stsn-relation-head.v1"`. Train it with `relationBinaryCrossEntropy`.
 *
 * Memory: a chunk of p pairs builds a `[B, p, T, contextDim]` block for the context max-pool.
 *
 * ```ts
 * const head = new StsnRelationHead({ spanDim: spanHead.relationDim, contextDim: tagger.outputDim, numTypes: 5 });
 * const relReps = spanHead.embed(relation, kept.spans, kept.mask, false);        // [B, K, spanDim]
 * const logits = head.score(relation, relReps, allPairs(kept.spans, kept.mask, T), false); // [B, P, 5]
 * ```
 */
export class StsnRelationHead extends BaseRelationHead {
  static readonly kind = 'stsn-relation-head.v1';
  readonly name = StsnRelationHead.kind;
  readonly outputDim: number;
  readonly threshold: number;
  private readonly dropoutRate: number;
  private readonly initStd: number;
  private readonly linear: Dense;

  constructor(config: StsnRelationHeadConfig) {
    super(StsnRelationHead.kind, config, OWN_FIELDS);
    const kind = StsnRelationHead.kind;
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

  config(): Required<StsnRelationHeadConfig> {
    return { ...this.baseConfig(), dropout: this.dropoutRate, threshold: this.threshold, initStd: this.initStd };
  }

  protected scoreChunk(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    const [batchSize, numPairs] = pairs.pairMask.shape; // B, p
    const [, seqLen, dim] = enc.hidden.shape; // T, Dc
    const { head, tail } = pairGather(spanReps, pairs.pairs); // [B, p, Ds] each: E_s1, E_s2
    const states = tf.broadcastTo(tf.expandDims(enc.hidden, 1), [batchSize, numPairs, seqLen, dim]); // [B, p, T, Dc]
    const context = maskedMax(states, pairs.contextMask, 2); // [B, p, Dc] C_r; no word between -> 0
    const x = tf.concat([head, tail, context], 2); // [B, p, 2 Ds + Dc] E_r
    return this.linear.apply(dropout(x, this.dropoutRate, this.dropoutRng, training)) as tf.Tensor3D; // [B, p, R]
  }

  /** Types with sigmoid `>= threshold` (0.4), several per pair possible. */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
    return decodeMultiLabel(logits, pairs, this.threshold);
  }
}
