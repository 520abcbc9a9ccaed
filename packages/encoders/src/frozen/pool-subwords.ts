/** How the sub-word states of a word become one word state. */
export type SubwordPooling = 'first' | 'max' | 'mean';
export const SUBWORD_POOLINGS: readonly SubwordPooling[] = ['first', 'max', 'mean'];

/**
 * Pools sub-word states to word states.
 *
 * @param states `[N, H]` row-major states of one sequence (N sub-word positions)
 * @param hidden H
 * @param wordStarts `[T]` first sub-word position of each word
 * @param wordEnds `[T]` one past its last sub-word position (`> wordStarts[t]`)
 * @param pooling `first` takes the first sub-word, `max` / `mean` reduce over all of them
 * @returns `[T + 1, H]`: row 0 is the state at position 0 (`[CLS]`), row 1 + t is word t
 */
export function poolSubwords(
  states: Float32Array,
  hidden: number,
  wordStarts: readonly number[],
  wordEnds: readonly number[],
  pooling: SubwordPooling,
): Float32Array {
  const T = wordStarts.length;
  const out = new Float32Array((T + 1) * hidden);
  out.set(states.subarray(0, hidden), 0);
  for (let t = 0; t < T; t++) {
    const row = out.subarray((t + 1) * hidden, (t + 2) * hidden);
    const start = wordStarts[t];
    const end = pooling === 'first' ? start + 1 : wordEnds[t];
    row.set(states.subarray(start * hidden, (start + 1) * hidden));
    for (let p = start + 1; p < end; p++) {
      const base = p * hidden;
      if (pooling === 'max') for (let h = 0; h < hidden; h++) row[h] = Math.max(row[h], states[base + h]);
      else for (let h = 0; h < hidden; h++) row[h] += states[base + h];
    }
    if (pooling === 'mean') for (let h = 0; h < hidden; h++) row[h] /= end - start;
  }
  return out;
}
