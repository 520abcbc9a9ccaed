import type { Document, Entity, Relation, TypeSchema } from '@spanrel/datasets';

/** A kept span of one sentence. */
export interface DecodedSpan {
  start: number;
  /** Exclusive. */
  end: number;
  /** Entity type index into `schema.entities` (class - 1). */
  type: number;
  /** Probability of that type. */
  score: number;
}

/** A predicted relation between two kept spans of the same sentence. */
export interface DecodedRelation {
  /** Index of the first argument in the sentence's {@link DecodedSpan} list. */
  head: number;
  /** Index of the second argument. */
  tail: number;
  /** Relation type index into `schema.relations`. */
  type: number;
  score: number;
}

const byPosition = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start - b.start || a.end - b.end;

/** The probability of each entity and relation of a predicted document, in the document's order. */
export interface DocumentScores {
  /** `entities[i]`: the probability of entity i's type (the span's class). */
  entities: number[];
  /** `relations[j]`: the relation head's score of relation j's type (the highest of the pairs it merges). */
  relations: number[];
}

/**
 * One predicted document in the SpERT JSON model:
 *
 * - `id`, `tokens` and, when present, `docKey`, `sentenceIndex` and `extra`
 *   (source fields such as SpERT's `orig_id`) come from the input sentence;
 * - entities are the kept spans, sorted by start then end;
 * - relations point at those entities; a relation of a symmetric type (schema
 *   `symmetric: true`) is written with the argument that comes first in the
 *   sentence as head, so `(a, b)` and `(b, a)` become one relation, the way the
 *   scorer compares symmetric types; duplicates are dropped; relations are
 *   sorted by head, tail, then type order.
 */
export function assembleDocument(
  source: { tokens: readonly string[]; id?: string; docKey?: string; sentenceIndex?: number; extra?: Document['extra'] },
  spans: readonly DecodedSpan[],
  relations: readonly DecodedRelation[],
  schema: TypeSchema,
): Document {
  return assembleScoredDocument(source, spans, relations, schema).doc;
}

/** {@link assembleDocument}, with the scores of the document's entities and relations (a merged relation keeps its highest). */
export function assembleScoredDocument(
  source: { tokens: readonly string[]; id?: string; docKey?: string; sentenceIndex?: number; extra?: Document['extra'] },
  spans: readonly DecodedSpan[],
  relations: readonly DecodedRelation[],
  schema: TypeSchema,
): { doc: Document; scores: DocumentScores } {
  const order = spans.map((_, i) => i).sort((i, j) => byPosition(spans[i], spans[j]) || i - j);
  const entityOf = new Map<number, number>(); // decoded span index -> entity index
  order.forEach((spanIndex, entityIndex) => entityOf.set(spanIndex, entityIndex));
  const entities: Entity[] = order.map((i) => {
    const typeDef = schema.entities[spans[i].type];
    if (!typeDef) throw new Error(`assembleDocument: span ${i} has entity type index ${spans[i].type}, the schema has ${schema.entities.length} entity types`);
    return { type: typeDef.name, start: spans[i].start, end: spans[i].end };
  });

  const seen = new Map<string, { relation: Relation; score: number }>();
  for (const r of relations) {
    const typeDef = schema.relations[r.type];
    if (!typeDef) throw new Error(`assembleDocument: relation type index ${r.type} is out of range (${schema.relations.length} relation types)`);
    let head = entityOf.get(r.head);
    let tail = entityOf.get(r.tail);
    if (head === undefined || tail === undefined) throw new Error(`assembleDocument: relation (${r.head}, ${r.tail}) points outside the ${spans.length} spans`);
    if (head === tail) continue; // cannot come from distinct kept spans; never write a self-relation
    if (typeDef.symmetric && byPosition(entities[tail], entities[head]) < 0) [head, tail] = [tail, head];
    const key = `${r.type}:${head}:${tail}`;
    const kept = seen.get(key);
    if (kept) kept.score = Math.max(kept.score, r.score);
    else seen.set(key, { relation: { type: typeDef.name, head, tail }, score: r.score });
  }
  const typeIndex = new Map(schema.relations.map((t, i) => [t.name, i]));
  const out = [...seen.values()].sort(({ relation: a }, { relation: b }) => a.head - b.head || a.tail - b.tail || typeIndex.get(a.type)! - typeIndex.get(b.type)!);
  const doc: Document = { id: source.id ?? '', tokens: [...source.tokens], entities, relations: out.map((r) => r.relation) };
  // Carry what identifies the sentence (document key, source fields such as SpERT's orig_id), so writers round-trip it.
  if (source.docKey !== undefined) doc.docKey = source.docKey;
  if (source.sentenceIndex !== undefined) doc.sentenceIndex = source.sentenceIndex;
  if (source.extra !== undefined) doc.extra = structuredClone(source.extra);
  return { doc, scores: { entities: order.map((i) => spans[i].score), relations: out.map((r) => r.score) } };
}
