/** Spans of a sentence: enumeration, counting, overlap. Spans are `[start, end)` word indices. */

/** A `[start, end)` word span. */
export type Span = readonly [start: number, end: number];

/** Orders of `enumerateSpans`. */
export type SpanOrder = 'start' | 'width';

/**
 * Every span of width 1..`maxWidth` of a sentence of `nTokens` words, as `[start, end)`.
 *
 * Order `'start'` (default, as AllenNLP's `enumerate_spans`): by start, then by end —
 * `[0,1) [0,2) ... [1,2) [1,3) ...`. Order `'width'` (as SpERT's sampler): by width, then
 * by start — `[0,1) [1,2) ... [0,2) [1,3) ...`. `maxWidth` may be `Infinity` (all spans).
 * The count is `countSpans(nTokens, maxWidth)`.
 */
export function enumerateSpans(nTokens: number, maxWidth: number, order: SpanOrder = 'start'): [number, number][] {
  checkArgs(nTokens, maxWidth);
  const spans: [number, number][] = [];
  const widest = Math.min(maxWidth, nTokens);
  if (order === 'start') {
    for (let start = 0; start < nTokens; start++) {
      const last = Math.min(nTokens, start + widest);
      for (let end = start + 1; end <= last; end++) spans.push([start, end]);
    }
  } else {
    for (let width = 1; width <= widest; width++) {
      for (let start = 0; start + width <= nTokens; start++) spans.push([start, start + width]);
    }
  }
  return spans;
}

/** Number of spans of width 1..`maxWidth` in `nTokens` words: `m(n+1) - m(m+1)/2` with `m = min(maxWidth, n)`. */
export function countSpans(nTokens: number, maxWidth: number): number {
  checkArgs(nTokens, maxWidth);
  const m = Math.min(maxWidth, nTokens);
  return m * (nTokens + 1) - (m * (m + 1)) / 2;
}

/** Index of span `[start, end)` in `enumerateSpans(nTokens, maxWidth, 'start')`, or -1 when the span is not enumerated. */
export function spanIndex(start: number, end: number, nTokens: number, maxWidth: number): number {
  const width = end - start;
  if (start < 0 || end > nTokens || width < 1 || width > maxWidth) return -1;
  // Spans that start before `start`: start s contributes min(maxWidth, nTokens - s).
  return countSpans(nTokens, maxWidth) - countSpans(nTokens - start, maxWidth) + (width - 1);
}

/** Whether two spans share at least one word. */
export function spansOverlap(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** How two overlapping spans relate: `'nested'` when one contains the other (identical spans included), `'crossing'` otherwise; `'disjoint'` when they do not overlap. */
export function spanRelation(a: { start: number; end: number }, b: { start: number; end: number }): 'disjoint' | 'nested' | 'crossing' {
  if (!spansOverlap(a, b)) return 'disjoint';
  const aInB = b.start <= a.start && a.end <= b.end;
  const bInA = a.start <= b.start && b.end <= a.end;
  return aInB || bInA ? 'nested' : 'crossing';
}

function checkArgs(nTokens: number, maxWidth: number): void {
  if (!Number.isInteger(nTokens) || nTokens < 0) throw new RangeError(`nTokens must be a non-negative integer (got ${nTokens})`);
  if (!(maxWidth >= 1) || (!Number.isInteger(maxWidth) && maxWidth !== Infinity)) {
    throw new RangeError(`maxWidth must be a positive integer or Infinity (got ${maxWidth})`);
  }
}
