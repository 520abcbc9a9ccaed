import type { WordBatch } from '../encoder.js';

/**
 * Throws, naming the encoder, the sentence and the word, unless `batch.tokens` is
 * a non-empty array of non-empty sentences of non-empty strings.
 */
export function checkWordBatch(encoderName: string, batch: WordBatch): void {
  if (!batch || !Array.isArray(batch.tokens) || batch.tokens.length === 0) {
    throw new Error(`${encoderName}: batch.tokens must be a non-empty array of sentences`);
  }
  batch.tokens.forEach((words, b) => {
    if (!Array.isArray(words) || words.length === 0) throw new Error(`${encoderName}: batch.tokens[${b}] is empty (every sentence needs at least one word)`);
    words.forEach((w, t) => {
      if (typeof w !== 'string' || w.length === 0) throw new Error(`${encoderName}: batch.tokens[${b}][${t}] is ${JSON.stringify(w)}, expected a non-empty string`);
    });
  });
}
