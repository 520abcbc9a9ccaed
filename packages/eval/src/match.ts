/** The outcome of matching one document's predicted tuples against its gold tuples. */
export interface TupleMatch<T> {
  /** Predicted tuples that are also gold (one per distinct tuple). */
  tp: T[];
  /** Predicted tuples that are not gold (one per distinct tuple). */
  fp: T[];
  /** Gold tuples that were not predicted (one per distinct tuple). */
  fn: T[];
}

function distinct<T>(tuples: readonly T[], key: (t: T) => string): Map<string, T> {
  const byKey = new Map<string, T>();
  for (const t of tuples) if (!byKey.has(key(t))) byKey.set(key(t), t);
  return byKey;
}

/**
 * Matches tuples of one document as sets: duplicates count once, a tuple is
 * a true positive when its key is on both sides. A prediction with a wrong
 * type (or a shifted span) has a different key than the gold, so it gives one
 * false positive and one false negative.
 */
export function matchTuples<T>(gold: readonly T[], pred: readonly T[], key: (t: T) => string): TupleMatch<T> {
  const goldSet = distinct(gold, key);
  const predSet = distinct(pred, key);
  const match: TupleMatch<T> = { tp: [], fp: [], fn: [] };
  for (const [k, t] of predSet) (goldSet.has(k) ? match.tp : match.fp).push(t);
  for (const [k, t] of goldSet) if (!predSet.has(k)) match.fn.push(t);
  return match;
}

/**
 * Adds a match's counts into `counts`, under the label each tuple gets from
 * `labelOf` (its type, or its bucket in a breakdown).
 */
export function tallyMatch<T>(match: TupleMatch<T>, labelOf: (t: T) => string, counts: Map<string, { tp: number; fp: number; fn: number }>): void {
  const bump = (t: T, field: 'tp' | 'fp' | 'fn'): void => {
    const label = labelOf(t);
    let c = counts.get(label);
    if (!c) counts.set(label, (c = { tp: 0, fp: 0, fn: 0 }));
    c[field] += 1;
  };
  for (const t of match.tp) bump(t, 'tp');
  for (const t of match.fp) bump(t, 'fp');
  for (const t of match.fn) bump(t, 'fn');
}
