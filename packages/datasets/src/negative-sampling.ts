/**
 * Negative sampling for span-based training, per sentence.
 *
 * Candidates (the same for both strategies, as in SpERT):
 * - negative entities: every span of width 1..maxWidth whose `[start, end)` is not the span
 *   of any gold entity (whatever its type);
 * - negative relations ("strong" negatives): ordered pairs (i, j) of gold entities with
 *   different spans and no gold relation from span i to span j (of any type), nor from j to
 *   i with a symmetric type (when a schema says which are symmetric).
 *
 * How many are drawn, uniformly without replacement:
 * - `'spert'` (SpERT, Eberts & Ulges 2019, section 3.4): a fixed N_e = 100 entity and
 *   N_r = 100 relation negatives per sentence;
 * - `'ratio'` (Ji et al. 2020, section 3.5): "thirtyfold of the ground truth ones in each
 *   sentence" — k x (number of gold entities) entity negatives and k x (number of gold
 *   relations) relation negatives, k = 30. A sentence without gold relations thus gets no
 *   relation negatives, and one without entities no entity negatives.
 * Both are capped by the number of candidates, so `countNegatives` is exact and needs no
 * random draw.
 */
import { toRng, type Rng } from './rng.js';
import { enumerateSpans } from './spans.js';
import { symmetricRelationTypes } from './type-schema.js';
import type { Document, TypeSchema } from './types.js';

/** SpERT's fixed numbers of negatives per sentence. */
export interface SpertSamplingOptions {
  strategy?: 'spert';
  /** Widest negative span (default 10). */
  maxWidth?: number;
  /** N_e, entity negatives per sentence (default 100). */
  negativeEntities?: number;
  /** N_r, relation negatives per sentence (default 100). */
  negativeRelations?: number;
}

/** Ji et al. (2020): negatives proportional to the sentence's gold annotations. */
export interface RatioSamplingOptions {
  strategy: 'ratio';
  /** Widest negative span (default 10). */
  maxWidth?: number;
  /** k: negatives per gold entity and per gold relation (default 30). */
  ratio?: number;
}

export type NegativeSamplingOptions = SpertSamplingOptions | RatioSamplingOptions;

/** The negatives of one sentence. */
export interface NegativeSamples {
  /** Non-entity spans, `[start, end)`. */
  entitySpans: [number, number][];
  /** Gold entity pairs without a gold relation, as `[head, tail]` indices into `doc.entities`. */
  relationPairs: [number, number][];
}

export const DEFAULT_SAMPLING_MAX_WIDTH = 10;

/** Every negative candidate of a sentence (see the module comment), deterministic: spans by width then start, pairs by head then tail. */
export function negativeCandidates(doc: Document, options: { maxWidth?: number } = {}, schema?: TypeSchema): NegativeSamples {
  const maxWidth = options.maxWidth ?? DEFAULT_SAMPLING_MAX_WIDTH;
  const gold = new Set(doc.entities.map((e) => spanKey(e.start, e.end)));
  const entitySpans = enumerateSpans(doc.tokens.length, maxWidth, 'width').filter(([s, e]) => !gold.has(spanKey(s, e)));

  const symmetric = symmetricRelationTypes(schema);
  const related = new Set<string>(); // "headSpan|tailSpan" of gold relations, both ways for symmetric types
  for (const r of doc.relations) {
    const h = doc.entities[r.head];
    const t = doc.entities[r.tail];
    const hk = spanKey(h.start, h.end);
    const tk = spanKey(t.start, t.end);
    related.add(`${hk}|${tk}`);
    if (symmetric.has(r.type)) related.add(`${tk}|${hk}`);
  }
  const relationPairs: [number, number][] = [];
  doc.entities.forEach((a, i) => {
    const ak = spanKey(a.start, a.end);
    doc.entities.forEach((b, j) => {
      const bk = spanKey(b.start, b.end);
      if (ak !== bk && !related.has(`${ak}|${bk}`)) relationPairs.push([i, j]);
    });
  });
  return { entitySpans, relationPairs };
}

/** How many negatives of each kind a strategy asks for in this sentence (before capping by the candidates). */
export function negativeBudget(doc: Document, options: NegativeSamplingOptions = {}): { entities: number; relations: number } {
  if (options.strategy === 'ratio') {
    const k = options.ratio ?? 30;
    return { entities: k * doc.entities.length, relations: k * doc.relations.length };
  }
  return { entities: options.negativeEntities ?? 100, relations: options.negativeRelations ?? 100 };
}

/** Number of negatives `sampleNegatives` draws for this sentence: the budget capped by the candidates. */
export function countNegatives(doc: Document, options: NegativeSamplingOptions = {}, schema?: TypeSchema): { entities: number; relations: number } {
  const budget = negativeBudget(doc, options);
  const candidates = negativeCandidates(doc, options, schema);
  return {
    entities: Math.min(budget.entities, candidates.entitySpans.length),
    relations: Math.min(budget.relations, candidates.relationPairs.length),
  };
}

/**
 * Draws the negatives of one sentence (see the module comment), uniformly without
 * replacement, in random order. `rng` is a seed or an `Rng` (pass one `Rng` through a whole
 * epoch so that sentences get different draws).
 */
export function sampleNegatives(doc: Document, rng: number | Rng, options: NegativeSamplingOptions = {}, schema?: TypeSchema): NegativeSamples {
  const random = toRng(rng);
  const budget = negativeBudget(doc, options);
  const candidates = negativeCandidates(doc, options, schema);
  const pick = <T>(items: T[], k: number) => random.sampleIndices(items.length, k).map((i) => items[i]);
  return {
    entitySpans: pick(candidates.entitySpans, budget.entities),
    relationPairs: pick(candidates.relationPairs, budget.relations),
  };
}

function spanKey(start: number, end: number): string {
  return `${start}:${end}`;
}
