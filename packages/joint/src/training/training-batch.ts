/**
 * Training batches: what each sentence contributes to the losses, built in
 * plain JS from documents (no tensors), so that sampling is testable and
 * reproducible from a seed.
 */
import { enumerateSpans, sampleNegatives, spanIndex, type Document, type Rng, type TypeSchema } from '@spanrel/datasets';
import type { NegativeSamplingSpec } from '../config/joint-spec.js';

/** SpERT-style samples of a batch (see `sampleSpertBatch`). */
export interface SampledBatch {
  kind: 'sampled';
  tokens: string[][];
  /** `entitySpans[b]`: the gold entity spans of sentence b (in entity order), then the negative spans. */
  entitySpans: [number, number][][];
  /** Class of each entity sample: entity type index + 1, or 0 (`none`) for a negative. */
  entityLabels: number[][];
  /** `relationPairs[b]`: (first, second) indices into `entitySpans[b]`: gold pairs first, then negatives. */
  relationPairs: [number, number][][];
  /** The relation type indices of each pair (several possible; empty for a negative). */
  relationTypes: number[][][];
}

/** Dixit-style targets of a batch (see `allSpansBatch`). */
export interface AllSpansBatch {
  kind: 'all-spans';
  tokens: string[][];
  /** `spans[b]`: every span of sentence b up to the max width, by start then end (`enumerateSpans` order). */
  spans: [number, number][][];
  /** Class of each span: entity type index + 1 of the gold entity with that span, or 0. */
  labels: number[][];
  /** Positions in `spans[b]` of the gold entity spans (those not wider than the max width), ascending. */
  goldSpans: number[][];
  /** Gold relations between enumerated spans: positions in `spans[b]` and the relation type indices. */
  goldRelations: { head: number; tail: number; types: number[] }[][];
}

export type TrainingBatch = SampledBatch | AllSpansBatch;

function typeIndexes(schema: TypeSchema): { entity: Map<string, number>; relation: Map<string, number> } {
  return {
    entity: new Map(schema.entities.map((t, i) => [t.name, i])),
    relation: new Map(schema.relations.map((t, i) => [t.name, i])),
  };
}

function lookup(map: Map<string, number>, name: string, doc: Document, field: string): number {
  const index = map.get(name);
  if (index === undefined) throw new Error(`document ${doc.id}: ${field} has type "${name}", which the types file does not declare`);
  return index;
}

/**
 * SpERT's per-sentence sampling (section 3.4): the gold entities plus
 * `negativeEntities` random non-entity spans (width <= `maxWidth`) as entity
 * samples; the gold relations (grouped by ordered entity pair, types
 * multi-hot) plus `negativeRelations` random "strong" negatives, pairs of gold
 * entities with no relation (not the reverse of a symmetric one), as relation
 * samples. One `rng` is drawn from for the whole batch, sentence by sentence.
 *
 * With a `ratio` sampling (Ji et al. 2020) the numbers of negatives are
 * `ratio` x the sentence's gold entities and `ratio` x its gold relations
 * instead (see `sampleNegatives` in `@spanrel/datasets`).
 */
export function sampleSpertBatch(docs: readonly Document[], schema: TypeSchema, sampling: NegativeSamplingSpec, rng: Rng): SampledBatch {
  const types = typeIndexes(schema);
  const batch: SampledBatch = { kind: 'sampled', tokens: [], entitySpans: [], entityLabels: [], relationPairs: [], relationTypes: [] };
  for (const doc of docs) {
    const negatives = sampleNegatives(doc, rng, sampling, schema);
    batch.tokens.push([...doc.tokens]);
    batch.entitySpans.push([...doc.entities.map((e): [number, number] => [e.start, e.end]), ...negatives.entitySpans]);
    batch.entityLabels.push([...doc.entities.map((e, i) => 1 + lookup(types.entity, e.type, doc, `entities[${i}]`)), ...negatives.entitySpans.map(() => 0)]);
    const grouped = new Map<string, { pair: [number, number]; types: number[] }>();
    doc.relations.forEach((r, i) => {
      const key = `${r.head}:${r.tail}`;
      const entry = grouped.get(key) ?? { pair: [r.head, r.tail], types: [] };
      const type = lookup(types.relation, r.type, doc, `relations[${i}]`);
      if (!entry.types.includes(type)) entry.types.push(type);
      grouped.set(key, entry);
    });
    const positives = [...grouped.values()];
    batch.relationPairs.push([...positives.map((p) => p.pair), ...negatives.relationPairs]);
    batch.relationTypes.push([...positives.map((p) => p.types.sort((a, b) => a - b)), ...negatives.relationPairs.map(() => [])]);
  }
  return batch;
}

/**
 * Dixit & Al-Onaizan's targets (section 3.4): every span up to `maxWidth` words
 * with its gold class, and the gold relations between such spans. Entities wider
 * than `maxWidth` cannot be predicted and are left out, with their relations.
 * When two gold entities share a span, the first one's type is its label.
 */
export function allSpansBatch(docs: readonly Document[], schema: TypeSchema, maxWidth: number): AllSpansBatch {
  const types = typeIndexes(schema);
  const batch: AllSpansBatch = { kind: 'all-spans', tokens: [], spans: [], labels: [], goldSpans: [], goldRelations: [] };
  for (const doc of docs) {
    const n = doc.tokens.length;
    const spans = enumerateSpans(n, maxWidth, 'start');
    const labels = new Array<number>(spans.length).fill(0);
    const positionOfEntity = doc.entities.map((e, i) => {
      const position = spanIndex(e.start, e.end, n, maxWidth);
      const label = 1 + lookup(types.entity, e.type, doc, `entities[${i}]`);
      if (position >= 0 && labels[position] === 0) labels[position] = label;
      return position;
    });
    const grouped = new Map<string, { head: number; tail: number; types: number[] }>();
    doc.relations.forEach((r, i) => {
      const type = lookup(types.relation, r.type, doc, `relations[${i}]`);
      const head = positionOfEntity[r.head];
      const tail = positionOfEntity[r.tail];
      if (head < 0 || tail < 0 || head === tail) return;
      const key = `${head}:${tail}`;
      const entry = grouped.get(key) ?? { head, tail, types: [] };
      if (!entry.types.includes(type)) entry.types.push(type);
      grouped.set(key, entry);
    });
    batch.tokens.push([...doc.tokens]);
    batch.spans.push(spans);
    batch.labels.push(labels);
    batch.goldSpans.push([...new Set(positionOfEntity.filter((p) => p >= 0))].sort((a, b) => a - b));
    batch.goldRelations.push([...grouped.values()].map((g) => ({ ...g, types: g.types.sort((a, b) => a - b) })));
  }
  return batch;
}
