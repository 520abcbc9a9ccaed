/**
 * Prediction with the STSN tagger's predicted tags (`JointModel.predict(...,
 * { withTags: true })`): the documents of `decodeDocuments`, each with the
 * extended BIO tags (`O`, `B-Peop`, `I-Org`, `B-Loc/I-Org`, ...) the tagger
 * predicted for its words, the tags whose label embeddings the heads read
 * (decoding returns them from the same forward pass).
 */
import type { Document } from '@spanrel/datasets';
import { decodeDocumentsWithTags, type DecodeStats, type SentenceInput } from '../decoding/decode.js';
import type { JointModel } from './joint-model.js';

/** A predicted document with its words' predicted tags (`tags.length === tokens.length`). */
export type TaggedDocument = Document & { tags: string[] };

/** Options of `JointModel.predict`. */
export interface PredictOptions {
  /** Also give each document its predicted tags (STSN models only: they need a tagger). */
  withTags?: boolean;
  /** Counts of what the span cap did (`emptyDecodeStats()`), added to while predicting. */
  stats?: DecodeStats;
}

/** Throws unless the model has a tagger, saying that only STSN-style models predict tags. */
export function checkHasTagger(model: JointModel): void {
  if (model.tagger) return;
  const parts = `${model.encoder.name}, ${model.spanHead.name}, ${model.relationHead.name}`;
  throw new Error(`predict: only STSN-style models (with a tagger) predict tags; this model (${parts}) has no tagger`);
}

/** See the file comment; sentences without words get no tags. */
export function predictWithTags(model: JointModel, sentences: readonly SentenceInput[], stats?: DecodeStats): TaggedDocument[] {
  checkHasTagger(model);
  const { docs, tags } = decodeDocumentsWithTags(model, sentences, stats);
  return docs.map((doc, i) => ({ ...doc, tags: tags[i] ?? [] }));
}
