import * as tf from '@tensorflow/tfjs-core';
import { SpertRelationHead, type SpertRelationHeadConfig } from '../spert-relation-head.js';

/**
 * Config of {@link StsnRelationHead}: SpERT's (dropout 0.1, which STSN follows as the
 * paper does not say; threshold 0.4, STSN section 4.1; initStd 0.02).
 */
export type StsnRelationHeadConfig = SpertRelationHeadConfig;

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
export class StsnRelationHead extends SpertRelationHead {
  static readonly kind: string = 'stsn-relation-head.v1';

  constructor(config: StsnRelationHeadConfig) {
    super(config, StsnRelationHead.kind);
  }

  /** STSN's order: `E_r = [E_s1; E_s2; C_r]`. */
  protected override joinPair(head: tf.Tensor3D, context: tf.Tensor3D, tail: tf.Tensor3D): tf.Tensor3D {
    return tf.concat([head, tail, context], 2); // [B, p, 2 Ds + Dc]
  }
}
