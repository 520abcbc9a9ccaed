import type { Counts, Scores, TaskScores, TypeScores } from './types.js';

/** `100 * a / b`, with 0/0 = 0. */
function percent(a: number, b: number): number {
  return b === 0 ? 0 : (100 * a) / b;
}

/**
 * Precision, recall and F1 in percent from counts; every 0/0 is 0.
 * F1 = 2PR / (P + R) = 2TP / (2TP + FP + FN).
 */
export function scoresFromCounts(c: Counts): Scores {
  return {
    precision: percent(c.tp, c.tp + c.fp),
    recall: percent(c.tp, c.tp + c.fn),
    f1: percent(2 * c.tp, 2 * c.tp + c.fp + c.fn),
  };
}

/** An all-zero count. */
export function zeroCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0 };
}

/** Adds `b` into `a`. */
export function addCounts(a: Counts, b: Counts): void {
  a.tp += b.tp;
  a.fp += b.fp;
  a.fn += b.fn;
}

/** Mean of a list, 0 for an empty list. */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((s, v) => s + v, 0) / values.length;
}

/**
 * Micro, macro and per-type scores from per-type counts.
 *
 * A type is "seen" when it has a gold or a predicted tuple (tp + fp + fn > 0);
 * only seen types get a `perType` entry and enter the macro means, as with
 * sklearn's `precision_recall_fscore_support(labels=seen types)`. `typeOrder`
 * orders the `perType` keys (schema order); types missing from it follow in
 * first-seen order.
 */
export function summarise(countsByType: ReadonlyMap<string, Counts>, typeOrder: readonly string[]): TaskScores {
  const order = [...typeOrder, ...[...countsByType.keys()].filter((t) => !typeOrder.includes(t))];
  const perType: Record<string, TypeScores> = {};
  const total = zeroCounts();
  for (const type of order) {
    const c = countsByType.get(type);
    if (!c || c.tp + c.fp + c.fn === 0) continue;
    perType[type] = { ...scoresFromCounts(c), support: c.tp + c.fn, tp: c.tp, fp: c.fp, fn: c.fn };
    addCounts(total, c);
  }
  const seen = Object.values(perType);
  return {
    micro: { ...scoresFromCounts(total), ...total },
    macro: {
      precision: mean(seen.map((s) => s.precision)),
      recall: mean(seen.map((s) => s.recall)),
      f1: mean(seen.map((s) => s.f1)),
    },
    perType,
  };
}
