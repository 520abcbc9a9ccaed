/**
 * Result and option types of `@spanrel/eval`. Everything here is plain JSON:
 * numbers, strings, arrays and objects, so a result can be written with
 * `JSON.stringify` and compared figure by figure.
 */

/** Precision, recall and F1, each in percent (0-100). */
export interface Scores {
  precision: number;
  recall: number;
  f1: number;
}

/** True positives, false positives and false negatives (tuple counts). */
export interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Scores of one type: P/R/F1 in percent, `support` = number of gold tuples of that type, and the raw counts. */
export interface TypeScores extends Scores, Counts {
  support: number;
}

/**
 * Scores of one task (NER, RE or RE+).
 *
 * - `micro`: P/R/F1 from TP/FP/FN summed over all types (plus those sums).
 * - `macro`: mean of the per-type precisions, mean of the per-type recalls and
 *   mean of the per-type F1s (as sklearn's `average='macro'`, so macro F1 is not
 *   the F1 of macro P and macro R), over the types seen in gold or prediction.
 * - `perType`: one entry per type seen in gold or prediction, in schema order.
 */
export interface TaskScores {
  micro: Scores & Counts;
  macro: Scores;
  perType: Record<string, TypeScores>;
}

/**
 * The result of {@link evaluate}.
 *
 * - `ner`: entity = (start, end, type).
 * - `re`: relation "without NEC" (boundaries) = (head span, tail span, relation type).
 * - `rePlus`: relation "with NEC" (strict) = (head span, head type, tail span, tail type, relation type).
 */
export interface Evaluation {
  ner: TaskScores;
  re: TaskScores;
  rePlus: TaskScores;
}

/** Options of {@link evaluate} and {@link evaluateBreakdowns}. */
export interface EvaluateOptions {
  /**
   * Score "without overlapping entities" as SpERT does for ADE (its
   * `--no_overlapping` flag): on each side separately (gold, prediction), drop
   * every entity whose span overlaps the span of another entity of the same
   * document, and drop every relation whose two arguments overlap each other.
   * Default `false`. See `removeOverlapping` in `overlap.ts`.
   */
  removeOverlapping?: boolean;
}

/** Scores of one bucket of a breakdown: micro P/R/F1 (percent) over the tuples that fall in it. */
export interface BucketScores extends Scores, Counts {
  /** The bucket's label: `"1-2"`, `"0"` (one value) or `">=50"` (open-ended last bucket). */
  bucket: string;
  /** Smallest value of the bucket. */
  min: number;
  /** Largest value of the bucket; `null` for the open-ended last bucket. */
  max: number | null;
  /** Number of gold tuples in the bucket. */
  support: number;
}

/**
 * One breakdown: every bucket in ascending order, empty ones with zeros. An
 * array rather than a label-keyed object, because JavaScript objects list
 * integer-like keys such as `"0"` first, whatever the insertion order.
 */
export type Breakdown = BucketScores[];

/**
 * The result of {@link evaluateBreakdowns}: the analyses of STSN (entity length,
 * sentence length) and of the two-phase model (entity length, argument distance).
 * A tuple goes to the bucket of its own attributes: a false positive by the
 * prediction's span(s), a false negative by the gold's. Look a bucket up with
 * `findBucket(breakdown, '1-2')`.
 */
export interface Breakdowns {
  ner: { entityLength: Breakdown; sentenceLength: Breakdown };
  re: { sentenceLength: Breakdown; argumentDistance: Breakdown };
  rePlus: { sentenceLength: Breakdown; argumentDistance: Breakdown };
}

/**
 * Buckets as ascending lower bounds: `[1, 3, 5]` means `1-2`, `3-4`, `>=5`.
 * The last bucket is open-ended; a value below the first bound is an error.
 */
export type BucketBounds = readonly number[];

/** Options of {@link evaluateBreakdowns}. */
export interface BreakdownOptions extends EvaluateOptions {
  /** Defaults to {@link ENTITY_LENGTH_BOUNDS}. */
  entityLengthBounds?: BucketBounds;
  /** Defaults to {@link SENTENCE_LENGTH_BOUNDS}. */
  sentenceLengthBounds?: BucketBounds;
  /** Defaults to {@link ARGUMENT_DISTANCE_BOUNDS}. */
  argumentDistanceBounds?: BucketBounds;
}
