import { describe, expect, it } from 'vitest';
import { countSpans, enumerateSpans, spanIndex, spanRelation, spansOverlap } from './spans.js';

/** Naive: every [s, e) with 1 <= e - s <= maxWidth, as a set of strings. */
function naiveSpans(n: number, maxWidth: number): Set<string> {
  const out = new Set<string>();
  for (let s = 0; s < n; s++) for (let e = s + 1; e <= n; e++) if (e - s <= maxWidth) out.add(`${s},${e}`);
  return out;
}

describe('enumerateSpans', () => {
  it('lists the spans in start order by hand', () => {
    expect(enumerateSpans(3, 2)).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
      [1, 3],
      [2, 3],
    ]);
    expect(enumerateSpans(3, 2, 'width')).toEqual([
      [0, 1],
      [1, 2],
      [2, 3],
      [0, 2],
      [1, 3],
    ]);
  });

  it('matches the naive set and countSpans for many sizes', () => {
    for (let n = 0; n <= 14; n++) {
      for (const w of [1, 2, 3, 5, 10, Infinity]) {
        const expected = naiveSpans(n, w);
        for (const order of ['start', 'width'] as const) {
          const spans = enumerateSpans(n, w, order);
          expect(spans.length).toBe(expected.size);
          expect(new Set(spans.map(([s, e]) => `${s},${e}`))).toEqual(expected);
        }
        expect(countSpans(n, w)).toBe(expected.size);
      }
    }
  });

  it('spanIndex is the position in start order, -1 when not enumerated', () => {
    for (const [n, w] of [
      [7, 3],
      [5, 10],
      [9, 1],
    ]) {
      enumerateSpans(n, w).forEach(([s, e], i) => expect(spanIndex(s, e, n, w)).toBe(i));
    }
    expect(spanIndex(0, 5, 7, 3)).toBe(-1);
    expect(spanIndex(6, 8, 7, 3)).toBe(-1);
  });

  it('rejects bad arguments', () => {
    expect(() => enumerateSpans(-1, 2)).toThrow(RangeError);
    expect(() => enumerateSpans(3, 0)).toThrow(RangeError);
  });
});

describe('span overlap', () => {
  it('classifies pairs', () => {
    const s = (start: number, end: number) => ({ start, end });
    expect(spansOverlap(s(0, 2), s(2, 3))).toBe(false);
    expect(spanRelation(s(0, 2), s(2, 3))).toBe('disjoint');
    expect(spanRelation(s(0, 4), s(1, 2))).toBe('nested');
    expect(spanRelation(s(1, 2), s(1, 2))).toBe('nested');
    expect(spanRelation(s(0, 2), s(1, 3))).toBe('crossing');
  });
});
