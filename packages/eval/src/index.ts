/**
 * `@spanrel/eval` — NER / RE / RE+ scores (micro and macro P/R/F1, per type,
 * and breakdowns by entity length, sentence length and argument distance)
 * from gold and predicted documents, with the conventions of the span-based
 * joint extraction literature. No tensors.
 */
export const PACKAGE_NAME = '@spanrel/eval';

export type * from './types.js';
export { evaluate, scoreTask } from './evaluate.js';
export { evaluateBreakdowns, findBucket } from './breakdowns.js';
export { ARGUMENT_DISTANCE_BOUNDS, ENTITY_LENGTH_BOUNDS, SENTENCE_LENGTH_BOUNDS, bucketLabels, bucketOf } from './buckets.js';
export { formatBreakdowns, formatEvaluation, formatTaskTable } from './format.js';
export { averageEvaluations } from './average.js';
export { entitiesOverlap, removeOverlapping } from './overlap.js';
export { matchTuples, tallyMatch, type TupleMatch } from './match.js';
export { mean, scoresFromCounts, summarise } from './metrics.js';
export { prepareCorpus, type PreparedCorpus } from './prepare.js';
export { toScoringView, type ResolvedRelation, type ScoringView } from './scoring-view.js';
export { tasksFor, type Task, type Tasks } from './tasks.js';
export {
  argumentDistance,
  compareArguments,
  entityKey,
  entityTuples,
  relationKey,
  relationTuple,
  relationTuples,
  type EntityTuple,
  type RelationArgument,
  type RelationTuple,
} from './tuples.js';
export { EvaluationInputError, checkAlignment, checkDocument, checkInput, type Side } from './validate.js';
