import type { TypeSchema } from '@spanrel/datasets';
import type { ScoringView } from './scoring-view.js';
import {
  entityKey,
  entityTuples,
  relationKey,
  relationTuples,
  type EntityTuple,
  type RelationTuple,
} from './tuples.js';

/** How one task turns a document into tuples, and how tuples are identified and labelled. */
export interface Task<T> {
  /** Tuples of one document (may contain duplicates; matching treats them as a set). */
  extract(view: ScoringView): T[];
  /** Two tuples are the same when their keys are equal. */
  key(tuple: T): string;
  /** The type a tuple is counted under (entity type for NER, relation type for RE / RE+). */
  type(tuple: T): string;
  /** All types of the task in schema order (the order of `perType`). */
  types: readonly string[];
}

/** The three tasks of {@link evaluate}: NER, RE (without NEC) and RE+ (with NEC). */
export interface Tasks {
  ner: Task<EntityTuple>;
  re: Task<RelationTuple>;
  rePlus: Task<RelationTuple>;
}

/** Builds the three tasks for a schema; symmetric relation types come from `schema.relations[*].symmetric`. */
export function tasksFor(schema: TypeSchema): Tasks {
  const symmetric = new Set(schema.relations.filter((r) => r.symmetric).map((r) => r.name));
  const entityTypes = schema.entities.map((t) => t.name);
  const relationTypes = schema.relations.map((t) => t.name);
  return {
    ner: { extract: entityTuples, key: entityKey, type: (t) => t.type, types: entityTypes },
    re: {
      extract: (view) => relationTuples(view, false, symmetric),
      key: relationKey,
      type: (t) => t.type,
      types: relationTypes,
    },
    rePlus: {
      extract: (view) => relationTuples(view, true, symmetric),
      key: relationKey,
      type: (t) => t.type,
      types: relationTypes,
    },
  };
}
