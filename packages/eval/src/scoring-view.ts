import type { Document, Entity } from '@spanrel/datasets';

/** A relation with its arguments resolved from indices to the entities themselves. */
export interface ResolvedRelation {
  type: string;
  head: Entity;
  tail: Entity;
}

/**
 * What scoring sees of one document: its length, the entities counted for NER
 * and the relations counted for RE / RE+. Relations carry their argument
 * entities, so the entity list can be filtered (overlap removal) without
 * re-indexing relations.
 */
export interface ScoringView {
  /** Number of tokens of the document (the sentence length of the breakdowns). */
  sentenceLength: number;
  entities: Entity[];
  relations: ResolvedRelation[];
}

/** Resolves `relations[*].head/tail` against the same document's entities. Expects a checked document. */
export function toScoringView(doc: Document): ScoringView {
  return {
    sentenceLength: doc.tokens.length,
    entities: doc.entities.map((e) => ({ type: e.type, start: e.start, end: e.end })),
    relations: doc.relations.map((r) => ({
      type: r.type,
      head: doc.entities[r.head]!,
      tail: doc.entities[r.tail]!,
    })),
  };
}
