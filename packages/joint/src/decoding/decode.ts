import * as tf from '@tensorflow/tfjs-core';
import { enumerateSpans, type Document } from '@spanrel/datasets';
import { allPairs } from '@spanrel/relation-heads';
import { filterSpans, gatherKeptSpans, spansToTensor, type KeptSpans } from '@spanrel/span-heads';
import type { JointModel } from '../model/joint-model.js';
import { DEFAULT_KEPT_SPANS_PER_WORD, DEFAULT_MIN_KEPT_SPANS, type DecodingSettings } from '../model/model-config.js';
import { decoderViews, relationSpanReps, sharesViews } from '../model/decoder-views.js';
import { packSpanLabels } from '../model/span-labels.js';
import { keepNonOverlapping } from './non-overlapping-spans.js';
import { assembleScoredDocument, type DecodedRelation, type DecodedSpan, type DocumentScores } from './assemble-document.js';

/** A sentence to predict: its words, and what identifies it (carried into the output; a `Document` fits). */
export interface SentenceInput {
  tokens: readonly string[];
  id?: string;
  docKey?: string;
  sentenceIndex?: number;
  extra?: Document['extra'];
}

/** What decoding finds in one sentence, before it becomes a document. */
export interface DecodedSentence {
  spans: DecodedSpan[];
  relations: DecodedRelation[];
  /** STSN models: the predicted tag of each word; absent for models without a tagger. */
  tags?: string[];
}

/**
 * What the span cap did while decoding: counts summed over every batch decoded
 * with the same object (`JointModel.predict(docs, { stats })`, the dev
 * evaluation of `train`, `spanrel eval`). Make one with {@link emptyDecodeStats}.
 */
export interface DecodeStats {
  /** Sentences decoded (sentences without words are not). */
  sentences: number;
  /** Sentences in which the model predicted more entity spans than the cap kept. */
  cappedSentences: number;
  /** Predicted entity spans dropped by the cap (the least probable of those sentences). */
  droppedSpans: number;
  /** Entity spans kept (after the cap): the spans that were paired. */
  keptSpans: number;
  /** The most entity spans kept in one sentence. */
  maxKeptInSentence: number;
  /** Ordered pairs of kept spans scored by the relation head. */
  pairs: number;
}

/** Zero counts, to pass to decoding. */
export function emptyDecodeStats(): DecodeStats {
  return { sentences: 0, cappedSentences: 0, droppedSpans: 0, keptSpans: 0, maxKeptInSentence: 0, pairs: 0 };
}

/**
 * The most entity spans a sentence of `words` words keeps at decoding:
 * min(`maxKeptSpans`, max(`minKeptSpans`, ceil(`keptSpansPerWord` * words))),
 * either part left out when null (absent fields: their defaults); null = no cap.
 *
 * ```ts
 * keptSpanLimit(42, { maxKeptSpans: null, keptSpansPerWord: 0.4, minKeptSpans: 8 }); // 17
 * ```
 */
export function keptSpanLimit(words: number, settings: Pick<DecodingSettings, 'maxKeptSpans' | 'keptSpansPerWord' | 'minKeptSpans'>): number | null {
  const perWord = settings.keptSpansPerWord === undefined ? DEFAULT_KEPT_SPANS_PER_WORD : settings.keptSpansPerWord;
  // (- 1e-9: 0.4 * 15 is 6.000000000000001 in floating point, which must give 6)
  const byLength = perWord === null ? Infinity : Math.max(settings.minKeptSpans ?? DEFAULT_MIN_KEPT_SPANS, Math.ceil(perWord * words - 1e-9));
  const limit = Math.min(byLength, settings.maxKeptSpans ?? Infinity);
  return limit === Infinity ? null : limit;
}

/**
 * Keeps, per sentence, at most `limit` kept spans (one limit for all sentences,
 * or one per sentence; null = no limit): the most probable ones (ties to the
 * earlier span), still in ascending span order.
 */
export function limitKeptSpans(kept: KeptSpans, limit: number | null | readonly (number | null)[]): KeptSpans {
  if (limit === null) return kept;
  const out: KeptSpans = { indices: [], classes: [], scores: [] };
  kept.indices.forEach((indices, b) => {
    let chosen = indices.map((_, k) => k);
    const max = typeof limit === 'number' ? limit : (limit[b] ?? Infinity);
    if (chosen.length > max) {
      chosen = chosen.sort((x, y) => kept.scores[b][y] - kept.scores[b][x] || x - y).slice(0, max).sort((x, y) => x - y);
    }
    out.indices.push(chosen.map((k) => indices[k]));
    out.classes.push(chosen.map((k) => kept.classes[b][k]));
    out.scores.push(chosen.map((k) => kept.scores[b][k]));
  });
  return out;
}

/**
 * The inference path on one batch of non-empty sentences (SpERT section 3 /
 * Dixit steps 1-3): every span of up to `maxSpanWidth` words is embedded and
 * classified; spans whose best class is not `none` are kept, at most
 * {@link keptSpanLimit} of them per sentence (the most probable: the cost of
 * pairing stays bounded by sentence length whatever the model predicts, as
 * DyGIE++'s span pruning); every ordered pair
 * of kept spans is scored by the relation head (in chunks of its `maxPairs`)
 * and decoded by it (sigmoid >= threshold, or argmax != none). The pairs carry
 * the kept spans' predicted classes (`PairBatch.spanLabels`), which heads with
 * entity-type features read (the two-phase head: predicted types at inference).
 * An STSN model first tags the sentence: spans are embedded over its entity
 * view and pairs scored over its relation view, both with the label embeddings
 * of the predicted tags (`model/decoder-views.ts`). What the cap did is added
 * to `stats` when given.
 */
export function decodeBatch(model: JointModel, tokens: readonly (readonly string[])[], stats?: DecodeStats): DecodedSentence[] {
  const { maxSpanWidth } = model.decoding;
  const candidates = tokens.map((words) => enumerateSpans(words.length, maxSpanWidth));
  return tf.tidy(() => {
    // The heads' inputs: the encoder's states, or STSN's views with the tagger's predicted tags.
    const views = decoderViews(model, tokens.map((t) => [...t]), false, null); // entity / relation: hidden [B, T, D]
    const enc = views.entity;
    const seqLen = enc.hidden.shape[1]; // T
    const { spans, spanMask } = spansToTensor(candidates); // [B, S, 2], [B, S]
    const reps = model.spanHead.embed(enc, spans, spanMask, false); // [B, S, D']
    const logits = model.entityClassifier.classify(reps, false); // [B, S, 1 + entity types]
    const classified = filterSpans(logits, spanMask);
    const predicted = model.decoding.entityOverlap === 'flat' ? keepNonOverlapping(classified, candidates) : classified;
    const limits = tokens.map((words) => keptSpanLimit(words.length, model.decoding));
    const kept = limitKeptSpans(predicted, limits);
    if (stats) countCap(stats, predicted, kept);
    const shared = sharesViews(views);
    const gatheredReps = gatherKeptSpans(shared ? model.spanHead.relationFeatures(reps) : reps, spans, kept.indices); // reps [B, K, Dr or D']
    const gathered = shared ? gatheredReps : { ...gatheredReps, reps: relationSpanReps(model, views, gatheredReps.reps, gatheredReps.spans, gatheredReps.mask, false) }; // reps [B, K, Dr]
    const spanLabels = packSpanLabels(kept.classes, gathered.mask.shape[1]); // [B, K] predicted classes
    const pairs = allPairs(gathered.spans, gathered.mask, seqLen, { spanLabels, context: model.relationHead.readsContext !== false }); // pairs [B, P, 2] over K
    const relations = predictRelations(model, views.relation, gathered.reps, pairs);
    if (stats) stats.pairs += kept.indices.reduce((n, k) => n + k.length * (k.length - 1), 0);
    return candidates.map((list, b) => ({
      spans: kept.indices[b].map((s, k) => ({ start: list[s][0], end: list[s][1], type: kept.classes[b][k] - 1, score: kept.scores[b][k] })),
      relations: relations[b].map((r) => ({ head: r.head, tail: r.tail, type: r.type, score: r.score })),
      ...(views.predictedTags ? { tags: views.predictedTags[b] } : {}),
    }));
  });
}

/**
 * Bounds on decoding's working memory. `pairWords`: the most pairs x words a
 * relation head scores at once (heads such as SpERT's build `[B, P, T, D]` pair
 * contexts, chunked along P by their `maxPairs` only): a batch whose B x P x T
 * is larger is scored a slice of its sentences at a time (at least one).
 * Mutable for tests and benchmarks.
 */
export const decodeLimits = { pairWords: 1 << 17 };

/** Every batch-first tensor of `value` (an encoder output, a pair batch, a tensor), rows `[start, start + size)` of its B. */
function sliceSentences<T>(value: T, start: number, size: number, batchSize: number): T {
  const cut = (t: tf.Tensor) => (t.shape[0] === batchSize ? tf.slice(t, start, size) : t);
  if (value instanceof tf.Tensor) return cut(value) as T;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = v instanceof tf.Tensor ? cut(v) : v;
  return out as T;
}

/**
 * The relation head's predictions for a batch (inside the caller's tidy):
 * scored in one call, or, when B x P x T passes {@link decodeLimits}, a slice
 * of sentences at a time, each slice's tensors freed before the next.
 */
function predictRelations(
  model: JointModel,
  enc: Parameters<JointModel['relationHead']['score']>[0],
  reps: tf.Tensor3D,
  pairs: ReturnType<typeof allPairs>,
): ReturnType<JointModel['relationHead']['predict']> {
  const [batchSize, numPairs] = pairs.pairMask.shape; // B, P
  const seqLen = enc.hidden.shape[1]; // T
  const perSlice = Math.max(1, Math.floor(decodeLimits.pairWords / Math.max(1, numPairs * seqLen)));
  if (perSlice >= batchSize) return model.relationHead.predict(model.relationHead.score(enc, reps, pairs, false), pairs); // [B, P, R or R + 1] scored
  const out: ReturnType<JointModel['relationHead']['predict']> = [];
  for (let start = 0; start < batchSize; start += perSlice) {
    const size = Math.min(perSlice, batchSize - start);
    tf.tidy(() => {
      const part = sliceSentences(pairs, start, size, batchSize);
      out.push(...model.relationHead.predict(model.relationHead.score(sliceSentences(enc, start, size, batchSize), sliceSentences(reps, start, size, batchSize), part, false), part));
    });
  }
  return out;
}

/** Adds one batch's counts to `stats`: `predicted` before the cap, `kept` after it. */
function countCap(stats: DecodeStats, predicted: KeptSpans, kept: KeptSpans): void {
  predicted.indices.forEach((before, b) => {
    const after = kept.indices[b].length;
    stats.sentences += 1;
    stats.keptSpans += after;
    stats.maxKeptInSentence = Math.max(stats.maxKeptInSentence, after);
    if (before.length > after) {
      stats.cappedSentences += 1;
      stats.droppedSpans += before.length - after;
    }
  });
}

/**
 * Predicts every sentence (see `JointModel.predict`): sentences are sorted by
 * length into batches of `decodeBatchSize` (less padding), decoded, and put
 * back in input order. Sentences without words get no annotations. `tags[i]`
 * is sentence i's predicted tags (STSN models; `[]` for a sentence without
 * words) or null (models without a tagger); `scores[i]` the probabilities of
 * document i's entities and relations (in its order). The cap's counts are
 * added to `stats` when given.
 */
export function decodeDocumentsWithTags(
  model: JointModel,
  sentences: readonly SentenceInput[],
  stats?: DecodeStats,
): { docs: Document[]; tags: (string[] | null)[]; scores: DocumentScores[] } {
  const docs: Document[] = new Array(sentences.length);
  const tags: (string[] | null)[] = new Array(sentences.length).fill(model.tagger ? [] : null);
  const scores: DocumentScores[] = new Array(sentences.length);
  const order: number[] = [];
  sentences.forEach((sentence, i) => {
    if (!sentence || !Array.isArray(sentence.tokens)) throw new Error(`predict: sentence ${i} has no "tokens" array`);
    if (sentence.tokens.length === 0) ({ doc: docs[i], scores: scores[i] } = assembleScoredDocument(sentence, [], [], model.schema));
    else order.push(i);
  });
  order.sort((a, b) => sentences[a].tokens.length - sentences[b].tokens.length || a - b);
  const size = model.decoding.decodeBatchSize;
  for (let start = 0; start < order.length; start += size) {
    const batch = order.slice(start, start + size);
    const decoded = decodeBatch(model, batch.map((i) => sentences[i].tokens), stats);
    batch.forEach((i, b) => {
      ({ doc: docs[i], scores: scores[i] } = assembleScoredDocument(sentences[i], decoded[b].spans, decoded[b].relations, model.schema));
      tags[i] = decoded[b].tags ?? null;
    });
  }
  return { docs, tags, scores };
}

/** The documents of {@link decodeDocumentsWithTags}. */
export function decodeDocuments(model: JointModel, sentences: readonly SentenceInput[], stats?: DecodeStats): Document[] {
  return decodeDocumentsWithTags(model, sentences, stats).docs;
}
