import type { Document, TypeSchema } from '@spanrel/datasets';

/** Test helper: a document of `length` tokens `w0 w1 ...` from compact entity and relation lists. */
export function doc(
  length: number,
  entities: Array<[start: number, end: number, type: string]>,
  relations: Array<[type: string, head: number, tail: number]> = [],
  id = 'd',
): Document {
  return {
    id,
    tokens: Array.from({ length }, (_, i) => `w${i}`),
    entities: entities.map(([start, end, type]) => ({ start, end, type })),
    relations: relations.map(([type, head, tail]) => ({ type, head, tail })),
  };
}

/** Test schema: three entity types; Work and Kill are directed, Near is symmetric. */
export const SCHEMA: TypeSchema = {
  entities: ['Per', 'Org', 'Loc'].map((name) => ({ name, short: name, verbose: name })),
  relations: [
    { name: 'Work', short: 'Work', verbose: 'Work for', symmetric: false },
    { name: 'Kill', short: 'Kill', verbose: 'Kill', symmetric: false },
    { name: 'Near', short: 'Near', verbose: 'Near', symmetric: true },
  ],
};
