import type { Document } from '@spanrel/datasets';
import type { DocumentScores } from '@spanrel/joint';

/** One predicted document as a SpERT JSON entry (the fields `spanrel predict` prints for raw input), scores optional. */
export interface SpertEntry {
  tokens: string[];
  entities: { type: string; start: number; end: number; score?: number }[];
  relations: { type: string; head: number; tail: number; score?: number }[];
}

/** The SpERT JSON entry of `doc`; with `scores`, each entity and relation also carries its `score` (a probability). */
export function spertEntry(doc: Document, scores?: DocumentScores): SpertEntry {
  return {
    tokens: [...doc.tokens],
    entities: doc.entities.map((e, i) => ({ type: e.type, start: e.start, end: e.end, ...(scores ? { score: scores.entities[i] } : {}) })),
    relations: doc.relations.map((r, i) => ({ type: r.type, head: r.head, tail: r.tail, ...(scores ? { score: scores.relations[i] } : {}) })),
  };
}
