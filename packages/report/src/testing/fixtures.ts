/**
 * Hand-made gold and predicted documents for the report's tests: one sentence
 * without error, one with a wrong boundary (entity and relation) and a wrong
 * type, one with a false negative and a false positive, one with a symmetric
 * relation predicted in the other order (correct).
 */
import type { Document, TypeSchema } from '@spanrel/datasets';

export const SCHEMA: TypeSchema = {
  entities: [
    { name: 'Peop', short: 'Peop', verbose: 'People' },
    { name: 'Loc', short: 'Loc', verbose: 'Location' },
    { name: 'Org', short: 'Org', verbose: 'Organization' },
  ],
  relations: [
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
    { name: 'Work_For', short: 'Work', verbose: 'Work for', symmetric: false },
    { name: 'Kin', short: 'Kin', verbose: 'Kin', symmetric: true },
  ],
};

const doc = (id: string, text: string, entities: [number, number, string][], relations: [number, number, string][]): Document => ({
  id,
  tokens: text.split(' '),
  entities: entities.map(([start, end, type]) => ({ start, end, type })),
  relations: relations.map(([head, tail, type]) => ({ head, tail, type })),
});

export const GOLD: Document[] = [
  doc('s0', 'Ada Brandt lives in Oslo .', [[0, 2, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]),
  doc('s1', 'Hugo Novak works for Kestrel Labs in Porto .', [[0, 2, 'Peop'], [4, 6, 'Org'], [7, 8, 'Loc']], [[0, 1, 'Work_For']]),
  doc('s2', 'Prices rose in Ghent on Monday .', [[3, 4, 'Loc']], []),
  doc('s3', 'Ada and her brother Ben met .', [[0, 1, 'Peop'], [4, 5, 'Peop']], [[0, 1, 'Kin']]),
];

export const PRED: Document[] = [
  doc('s0', 'Ada Brandt lives in Oslo .', [[0, 2, 'Peop'], [4, 5, 'Loc']], [[0, 1, 'Live_In']]),
  // "Kestrel" alone (wrong boundary, and so is the relation to it); Porto as a person (wrong type).
  doc('s1', 'Hugo Novak works for Kestrel Labs in Porto .', [[0, 2, 'Peop'], [4, 5, 'Org'], [7, 8, 'Peop']], [[0, 1, 'Work_For']]),
  // Ghent missed (false negative), Monday as an organisation (false positive).
  doc('s2', 'Prices rose in Ghent on Monday .', [[5, 6, 'Org']], []),
  // A symmetric relation in the other order: correct.
  doc('s3', 'Ada and her brother Ben met .', [[4, 5, 'Peop'], [0, 1, 'Peop']], [[0, 1, 'Kin']]),
];
