import type { Entity } from '@spanrel/datasets';
import type { ScoringView } from './scoring-view.js';

/**
 * True when two entities share at least one token and are not the same
 * (start, end, type) tuple — SpERT's `_check_overlap`: an exact duplicate is
 * the same entity, not an overlapping one.
 */
export function entitiesOverlap(a: Entity, b: Entity): boolean {
  if (a.start === b.start && a.end === b.end && a.type === b.type) return false;
  return a.start < b.end && b.start < a.end;
}

/**
 * Scoring "without overlapping entities", as SpERT's reference code does for
 * ADE (`--no_overlapping`, applied to the gold and to the prediction
 * separately):
 *
 * - an entity is dropped when it overlaps any other entity of the same
 *   document (nested or crossing, e.g. "codeine" inside "codeine intoxication");
 * - a relation is dropped when its two arguments overlap each other.
 *
 * Why this rule: the SpERT paper reports ADE "without overlap" to compare with
 * prior BILOU-based work, which filtered the ~120 relations whose arguments
 * overlap (and the overlapping mentions); the reference evaluator implements
 * exactly the two filters above, so figures computed here are comparable with
 * the published "without overlap" rows. A relation whose arguments do not
 * overlap each other is kept even when one argument also overlaps a third
 * entity (it is still scorable by span).
 */
export function removeOverlapping(view: ScoringView): ScoringView {
  const entities = view.entities.filter((e) => !view.entities.some((other) => entitiesOverlap(e, other)));
  const relations = view.relations.filter((r) => !entitiesOverlap(r.head, r.tail));
  return { sentenceLength: view.sentenceLength, entities, relations };
}
