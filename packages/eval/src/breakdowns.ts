import type { Document, TypeSchema } from '@spanrel/datasets';
import { ARGUMENT_DISTANCE_BOUNDS, bucketLabels, bucketOf, ENTITY_LENGTH_BOUNDS, SENTENCE_LENGTH_BOUNDS } from './buckets.js';
import { matchTuples, tallyMatch } from './match.js';
import { scoresFromCounts } from './metrics.js';
import { prepareCorpus } from './prepare.js';
import type { ScoringView } from './scoring-view.js';
import type { Task } from './tasks.js';
import { argumentDistance, type RelationTuple } from './tuples.js';
import type { BreakdownOptions, Breakdown, Breakdowns, BucketBounds, BucketScores, Counts } from './types.js';
import { EvaluationInputError } from './validate.js';

/**
 * Scores one task per bucket. `valueOf` gives the bucketed quantity of a tuple
 * in its document (entity length, argument distance, sentence length).
 */
function breakdown<T>(
  task: Task<T>,
  gold: readonly ScoringView[],
  pred: readonly ScoringView[],
  bounds: BucketBounds,
  valueOf: (tuple: T, view: ScoringView) => number,
): Breakdown {
  const counts = new Map<string, Counts>();
  for (let i = 0; i < gold.length; i++) {
    const view = gold[i]!; // same tokens as pred[i], so the same sentence length
    const match = matchTuples(task.extract(gold[i]!), task.extract(pred[i]!), task.key);
    tallyMatch(match, (t) => bucketOf(valueOf(t, view), bounds), counts);
  }
  return bucketLabels(bounds).map((bucket, i) => {
    const c = counts.get(bucket) ?? { tp: 0, fp: 0, fn: 0 };
    const max = i + 1 < bounds.length ? bounds[i + 1]! - 1 : null;
    return { bucket, min: bounds[i]!, max, ...scoresFromCounts(c), support: c.tp + c.fn, tp: c.tp, fp: c.fp, fn: c.fn };
  });
}

/**
 * Micro P/R/F1 per bucket, as in the analysis sections of STSN (NER by entity
 * length; NER and RE by sentence length) and of the two-phase model (NER by
 * entity length; RE by argument distance). Matching is exactly that of
 * {@link evaluate}; each tuple is then counted in the bucket of its own
 * attributes (a false positive by the predicted spans, a false negative by the
 * gold spans, a true positive by either, as they are equal). Every bucket is
 * listed, empty ones with zeros.
 */
export function evaluateBreakdowns(
  gold: readonly Document[],
  pred: readonly Document[],
  schema: TypeSchema,
  options: BreakdownOptions = {},
): Breakdowns {
  const { gold: g, pred: p, tasks } = prepareCorpus(gold, pred, schema, options);
  const entityLength = options.entityLengthBounds ?? ENTITY_LENGTH_BOUNDS;
  const sentenceLength = options.sentenceLengthBounds ?? SENTENCE_LENGTH_BOUNDS;
  const distance = options.argumentDistanceBounds ?? ARGUMENT_DISTANCE_BOUNDS;
  const bySentence = (_: unknown, view: ScoringView): number => view.sentenceLength;
  const byDistance = (t: RelationTuple): number => argumentDistance(t);
  return {
    ner: {
      entityLength: breakdown(tasks.ner, g, p, entityLength, (t) => t.end - t.start),
      sentenceLength: breakdown(tasks.ner, g, p, sentenceLength, bySentence),
    },
    re: {
      sentenceLength: breakdown(tasks.re, g, p, sentenceLength, bySentence),
      argumentDistance: breakdown(tasks.re, g, p, distance, byDistance),
    },
    rePlus: {
      sentenceLength: breakdown(tasks.rePlus, g, p, sentenceLength, bySentence),
      argumentDistance: breakdown(tasks.rePlus, g, p, distance, byDistance),
    },
  };
}

/** The bucket of a breakdown with the given label (e.g. `"1-2"`); throws when there is none. */
export function findBucket(breakdown: Breakdown, label: string): BucketScores {
  const found = breakdown.find((b) => b.bucket === label);
  if (!found) {
    throw new EvaluationInputError(`no bucket "${label}" (buckets: ${breakdown.map((b) => b.bucket).join(', ')})`);
  }
  return found;
}
