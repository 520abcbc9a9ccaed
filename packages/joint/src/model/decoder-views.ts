/**
 * What the span and relation heads read: the encoder's word states for every
 * system but STSN; for STSN (Ji et al., section 3) the tagger's decoder views,
 * `[H_E^N; label emb]` for spans and `[H_R^N; label emb]` for relations, with
 * gold tags behind the label embeddings in training and predicted tags at
 * inference. The training forwards and the decoder both go through here, so
 * neither branches on the system.
 */
import * as tf from '@tensorflow/tfjs-core';
import { entitiesToExtendedBioTags, type Entity, type TypeSchema } from '@spanrel/datasets';
import type { EncoderOutput } from '@spanrel/encoders';
import { tagCrossEntropy } from '@spanrel/span-heads';
import { reduceLoss, type Reduction } from '../training/loss-reduction.js';
import type { JointModel } from './joint-model.js';

/** The inputs of the heads for one batch (see the file comment). */
export interface DecoderViews {
  /** What the span head embeds the entity samples over (`hidden [B, T, D]`). */
  entity: EncoderOutput;
  /** What the relation head scores pairs over; the same object as `entity` without a tagger. */
  relation: EncoderOutput;
  /** STSN's tag loss `L_L` (mean over real tokens, or as `tagReduction` says), when gold tags were given; else null. */
  tagLoss: tf.Scalar | null;
  /** STSN at inference: each sentence's predicted tags, one per word (`O`, `B-Org`, `B-Loc/I-Org`); else null. */
  predictedTags: string[][] | null;
}

/**
 * Encodes a batch and builds the heads' inputs (inside the caller's `tf.tidy`).
 * Without a tagger both views are the encoder's output and `goldTags` is unused.
 *
 * @param goldTags per sentence, its extended BIO tags (one per word), in training:
 *   they feed the label embeddings and the tag loss; null at inference (the
 *   tagger's predicted tags feed the label embeddings and are returned as `predictedTags`)
 * @param tagReduction how the tag loss is reduced over the real tokens: `'mean'`
 *   (default, STSN), or the batch's token count for a shard of it (data-parallel training)
 */
export function decoderViews(
  model: JointModel,
  tokens: string[][],
  training: boolean,
  goldTags: readonly (readonly string[])[] | null,
  tagReduction: Reduction = 'mean',
): DecoderViews {
  const enc = model.encoder.encode({ tokens }, training); // hidden [B, T, D]
  const { tokenInteraction, tagger } = model;
  if (!tokenInteraction || !tagger) return { entity: enc, relation: enc, tagLoss: null, predictedTags: null };
  const seqLen = enc.hidden.shape[1]; // T
  const views = tokenInteraction.apply(enc.hidden, enc.mask, training); // label / entity / relation [B, T, d]
  const tagLogits = tagger.logits(views.label); // [B, T, tags]
  const goldIds = goldTags ? tagger.vocabulary.encodeBatch(goldTags, seqLen) : null; // [B, T]
  const tagIds = goldIds ?? tagger.predict(tagLogits, enc.mask); // [B, T]
  const { entity, relation } = tagger.decoderInputs(views, tagIds, enc.mask); // hidden [B, T, d (+ label)]
  // One [B, T] read at inference: the tags are part of what a tagging model predicts.
  const predictedTags = goldIds ? null : tagIds.arraySync().map((row, b) => tokens[b].map((_, t) => tagger.vocabulary.tag(row[t])));
  const tagLoss = goldIds ? reduceLoss(tagReduction, 'tokens', (r) => tagCrossEntropy(tagLogits, goldIds, enc.mask, r)) : null; // []
  return { entity, relation, tagLoss, predictedTags };
}

/** True when the span and relation heads read the same states (every system but STSN). */
export function sharesViews(views: DecoderViews): boolean {
  return views.relation === views.entity;
}

/**
 * The relation features of spans (`[B, K, Dr]`) over the relation view: the span
 * head's `relationFeatures` of `entityReps` when the views are one (every
 * system but STSN), else the spans embedded afresh over the relation view (STSN's
 * `E_s1`, `E_s2` are obtained "in the same way" from `[H_R^N; label emb]`).
 *
 * @param entityReps `[B, K, D']` the spans' representations over the entity view
 * @param spans int32 `[B, K, 2]`, @param spanMask `[B, K]` the same spans
 */
export function relationSpanReps(
  model: JointModel,
  views: DecoderViews,
  entityReps: tf.Tensor3D,
  spans: tf.Tensor3D,
  spanMask: tf.Tensor2D,
  training: boolean,
): tf.Tensor3D {
  if (sharesViews(views)) return model.spanHead.relationFeatures(entityReps);
  return model.spanHead.relationFeatures(model.spanHead.embed(views.relation, spans, spanMask, training)); // [B, K, Dr]
}

/**
 * The extended BIO tags of each sentence from its gold entity spans and classes
 * (class `k >= 1` = `schema.entities[k - 1]`; class 0 spans are negatives and
 * ignored), as the tagger's vocabulary was built from the training documents.
 */
export function goldTagsOf(
  schema: TypeSchema,
  tokens: readonly (readonly string[])[],
  spans: readonly (readonly [number, number])[][],
  classes: readonly (readonly number[])[],
): string[][] {
  return tokens.map((words, b) => {
    const entities: Entity[] = [];
    spans[b].forEach(([start, end], i) => {
      const k = classes[b][i];
      if (k > 0) entities.push({ start, end, type: schema.entities[k - 1].name });
    });
    return entitiesToExtendedBioTags(words.length, entities);
  });
}
