import { PAD_INDEX, type Vocabulary } from '../vocab/vocabulary.js';

/** Character ids of a list of words, padded to a common length. */
export interface CharIds {
  /** `[N * L]` row-major int32 ids, {@link PAD_INDEX} after each word's end. */
  ids: Int32Array;
  /** `[N]` characters kept per word (after truncation to `maxWordLength`). */
  lengths: Int32Array;
  /** N. */
  numWords: number;
  /** L = max(minLength, longest kept word). */
  length: number;
}

/**
 * Maps each word to the ids of its characters (`for..of`, so a surrogate pair is
 * one character), truncated to `maxWordLength` and padded to a common length of
 * at least `minLength` (the widest convolution, so every word gets a window).
 */
export function charIdsOf(words: readonly string[], chars: Vocabulary, maxWordLength: number, minLength: number): CharIds {
  const perWord = words.map((w) => Array.from(w).slice(0, maxWordLength));
  const length = Math.max(minLength, ...perWord.map((c) => c.length));
  const ids = new Int32Array(words.length * length).fill(PAD_INDEX);
  const lengths = new Int32Array(words.length);
  perWord.forEach((cs, i) => {
    lengths[i] = cs.length;
    cs.forEach((c, j) => (ids[i * length + j] = chars.index(c)));
  });
  return { ids, lengths, numWords: words.length, length };
}
