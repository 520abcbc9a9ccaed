import type { Document } from '@spanrel/datasets';

/** One predicted document as a SpERT JSON entry (the fields `spanrel predict` prints for raw input). */
export interface SpertEntry {
  tokens: string[];
  entities: { type: string; start: number; end: number }[];
  relations: { type: string; head: number; tail: number }[];
}

export function spertEntry(doc: Document): SpertEntry {
  return {
    tokens: [...doc.tokens],
    entities: doc.entities.map((e) => ({ type: e.type, start: e.start, end: e.end })),
    relations: doc.relations.map((r) => ({ type: r.type, head: r.head, tail: r.tail })),
  };
}
