import type { Entity } from '@spanrel/datasets';
import type { ResolvedRelation, ScoringView } from './scoring-view.js';

/** NER tuple: correct when span and type match. */
export interface EntityTuple {
  start: number;
  end: number;
  type: string;
}

/** One argument of a relation tuple; `entityType` is `null` when entity types are not scored (RE without NEC). */
export interface RelationArgument {
  start: number;
  end: number;
  entityType: string | null;
}

/** RE / RE+ tuple: relation type and its two arguments (in canonical order for symmetric types). */
export interface RelationTuple {
  type: string;
  head: RelationArgument;
  tail: RelationArgument;
}

/** The NER tuples of a document (duplicates are removed later, by key). */
export function entityTuples(view: ScoringView): EntityTuple[] {
  return view.entities.map((e) => ({ start: e.start, end: e.end, type: e.type }));
}

/** Orders arguments by (start, end, entity type); a `null` type sorts first. */
export function compareArguments(a: RelationArgument, b: RelationArgument): number {
  if (a.start !== b.start) return a.start - b.start;
  if (a.end !== b.end) return a.end - b.end;
  if (a.entityType === b.entityType) return 0;
  if (a.entityType === null) return -1;
  if (b.entityType === null) return 1;
  return a.entityType < b.entityType ? -1 : 1;
}

function toArgument(entity: Entity, withEntityTypes: boolean): RelationArgument {
  return { start: entity.start, end: entity.end, entityType: withEntityTypes ? entity.type : null };
}

/**
 * The relation tuple of one relation. For a symmetric relation type the two
 * arguments are put in canonical order (by start, end, then entity type; the
 * entity type moves with its span), so (a, b) and (b, a) give the same tuple.
 */
export function relationTuple(
  relation: ResolvedRelation,
  withEntityTypes: boolean,
  symmetricTypes: ReadonlySet<string>,
): RelationTuple {
  let head = toArgument(relation.head, withEntityTypes);
  let tail = toArgument(relation.tail, withEntityTypes);
  if (symmetricTypes.has(relation.type) && compareArguments(head, tail) > 0) [head, tail] = [tail, head];
  return { type: relation.type, head, tail };
}

/**
 * The relation tuples of a document: RE "without NEC" (`withEntityTypes`
 * false: spans and relation type) or RE+ "with NEC" (true: spans, entity types
 * and relation type). Argument entity types come from the same document.
 */
export function relationTuples(
  view: ScoringView,
  withEntityTypes: boolean,
  symmetricTypes: ReadonlySet<string>,
): RelationTuple[] {
  return view.relations.map((r) => relationTuple(r, withEntityTypes, symmetricTypes));
}

/** Identity of an entity tuple (JSON, so no separator can clash with a type name). */
export function entityKey(t: EntityTuple): string {
  return JSON.stringify([t.start, t.end, t.type]);
}

/** Identity of a relation tuple. */
export function relationKey(t: RelationTuple): string {
  return JSON.stringify([t.type, t.head.start, t.head.end, t.head.entityType, t.tail.start, t.tail.end, t.tail.entityType]);
}

/** Number of words strictly between the two argument spans (0 when adjacent or overlapping). */
export function argumentDistance(t: RelationTuple): number {
  return Math.max(0, Math.max(t.head.start, t.tail.start) - Math.min(t.head.end, t.tail.end));
}
