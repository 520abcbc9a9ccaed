import type { BucketBounds } from './types.js';
import { EvaluationInputError } from './validate.js';

/**
 * Entity length (words) buckets of STSN (§4.3.1) and the two-phase model
 * (§4.4.2): 1-2, 3-4, 5-6, 7-8, 9-10. Both papers cap spans at 10 words; longer
 * entities (which a corpus may contain) go to an extra `>=11` bucket instead of
 * being dropped.
 */
export const ENTITY_LENGTH_BOUNDS: BucketBounds = [1, 3, 5, 7, 9, 11];

/** Sentence length (tokens) buckets of STSN (§4.3.2): 0-19, 20-34, 35-49, >=50. */
export const SENTENCE_LENGTH_BOUNDS: BucketBounds = [0, 20, 35, 50];

/**
 * Argument distance buckets of the two-phase model (§4.4.3): 0, 1-3, 4-6, 7-9,
 * >=10. The distance is the number of words strictly between the two
 * argument spans (0 when adjacent or overlapping); see `argumentDistance`.
 */
export const ARGUMENT_DISTANCE_BOUNDS: BucketBounds = [0, 1, 4, 7, 10];

function checkBounds(bounds: BucketBounds): void {
  const ok =
    bounds.length > 0 &&
    bounds.every((b, i) => Number.isInteger(b) && (i === 0 || b > bounds[i - 1]!));
  if (!ok) throw new EvaluationInputError(`bucket bounds must be ascending integers, got [${bounds.join(', ')}]`);
}

/** Labels of the buckets, in order: `"a-b"`, `"a"` for a one-value bucket, `">=a"` for the last one. */
export function bucketLabels(bounds: BucketBounds): string[] {
  checkBounds(bounds);
  return bounds.map((low, i) => {
    if (i === bounds.length - 1) return `>=${low}`;
    const high = bounds[i + 1]! - 1;
    return high === low ? `${low}` : `${low}-${high}`;
  });
}

/** The label of the bucket that holds `value`. */
export function bucketOf(value: number, bounds: BucketBounds): string {
  const labels = bucketLabels(bounds);
  if (value < bounds[0]!) {
    throw new EvaluationInputError(`value ${value} is below the first bucket bound ${bounds[0]} of [${bounds.join(', ')}]`);
  }
  let i = bounds.length - 1;
  while (value < bounds[i]!) i--;
  return labels[i]!;
}
