import type { KeptSpans } from '@spanrel/span-heads';

/**
 * How decoding treats predicted entity spans that overlap (share a word):
 *
 * - `allow`: every span classified as an entity is kept (SpERT, Dixit: span
 *   models can predict nested entities);
 * - `flat`: per sentence, the most probable span wins and every span
 *   overlapping a kept one is dropped (the "heuristic decoding" of span-based
 *   NER for flat corpora, as in SpanNER, Fu et al. 2021);
 * - `auto` (in a spec only): `flat` when no training document has two
 *   overlapping entities, else `allow`; decided when the model is built and
 *   saved with it.
 */
export type EntityOverlap = 'allow' | 'flat';

/** `true` when two of a document's entities share a word (nested or crossing). */
export function hasOverlappingEntities(entities: readonly { start: number; end: number }[]): boolean {
  const sorted = [...entities].sort((a, b) => a.start - b.start || a.end - b.end);
  let reach = -Infinity; // the furthest end of the entities seen so far
  for (const e of sorted) {
    if (e.start < reach) return true;
    reach = Math.max(reach, e.end);
  }
  return false;
}

/**
 * `kept` with, per sentence, only spans that share no word with a more
 * probable kept span (ties: the earlier span in `kept`'s order wins), still in
 * ascending span order. `spans[b][s]` is `[start, end)` of span position s of
 * sentence b (the positions `kept.indices` refers to).
 *
 * ```ts
 * // "John Smith" (0.9) and "Smith" (0.6) overlap: only "John Smith" stays
 * keepNonOverlapping({ indices: [[0, 1]], classes: [[1, 1]], scores: [[0.9, 0.6]] }, [[[0, 2], [1, 2]]]);
 * ```
 */
export function keepNonOverlapping(kept: KeptSpans, spans: readonly (readonly (readonly [number, number])[])[]): KeptSpans {
  const out: KeptSpans = { indices: [], classes: [], scores: [] };
  kept.indices.forEach((indices, b) => {
    const byScore = indices.map((_, k) => k).sort((x, y) => kept.scores[b][y] - kept.scores[b][x] || x - y);
    const taken: (readonly [number, number])[] = [];
    const chosen: number[] = [];
    for (const k of byScore) {
      const span = spans[b][indices[k]];
      if (!span) throw new Error(`keepNonOverlapping: sentence ${b} has no span at position ${indices[k]}`);
      if (taken.some(([start, end]) => span[0] < end && start < span[1])) continue;
      taken.push(span);
      chosen.push(k);
    }
    chosen.sort((x, y) => x - y);
    out.indices.push(chosen.map((k) => indices[k]));
    out.classes.push(chosen.map((k) => kept.classes[b][k]));
    out.scores.push(chosen.map((k) => kept.scores[b][k]));
  });
  return out;
}
