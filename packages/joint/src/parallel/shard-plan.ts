/**
 * How a sharded prediction cuts its sentences: contiguous chunks that threads
 * take one after another (the next free thread takes the next chunk), so a
 * slower thread simply takes fewer chunks and the results stay in input order.
 */

/** A contiguous chunk `[start, end)` of the input sentences. */
export interface SentenceChunk {
  index: number;
  start: number;
  end: number;
}

/**
 * Chunks of at most `chunkSize` sentences, but at least as many chunks as
 * `threads` when there are enough sentences (so every thread gets work).
 *
 * ```ts
 * chunkSentences(10, 4, 2); // [0,4) [4,8) [8,10)
 * chunkSentences(6, 32, 3); // [0,2) [2,4) [4,6)
 * ```
 */
export function chunkSentences(count: number, chunkSize: number, threads: number): SentenceChunk[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`chunkSentences: count must be an integer >= 0, got ${count}`);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error(`chunkSentences: chunkSize must be an integer >= 1, got ${chunkSize}`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`chunkSentences: threads must be an integer >= 1, got ${threads}`);
  const size = Math.max(1, Math.min(chunkSize, Math.ceil(count / threads)));
  const chunks: SentenceChunk[] = [];
  for (let start = 0; start < count; start += size) chunks.push({ index: chunks.length, start, end: Math.min(count, start + size) });
  return chunks;
}
