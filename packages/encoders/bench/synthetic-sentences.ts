import { Rng } from '@spanrel/tensor-core';

/**
 * Synthetic word-tokenized sentences shaped like CoNLL04 (news sentences of
 * ~25-30 words): a Zipf-distributed vocabulary of made-up words (2-11 letters,
 * some capitalised) plus punctuation, lengths uniform in [minWords, maxWords].
 * The vocabulary is the same for every `seed` (drawn from a fixed seed), so
 * sentences of two seeds share words as a train and a test split do.
 */
export function syntheticSentences(count: number, seed: number, minWords = 24, maxWords = 32, vocabularySize = 3000): string[][] {
  const rng = new Rng(20240601);
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const vocabulary = Array.from({ length: vocabularySize }, () => {
    const length = 2 + rng.int(10);
    let w = '';
    for (let i = 0; i < length; i++) w += letters[Math.min(letters.length - 1, Math.floor(-Math.log(1 - rng.next()) * 6))];
    return rng.next() < 0.2 ? w[0].toUpperCase() + w.slice(1) : w;
  });
  const sentenceRng = new Rng(seed);
  const punctuation = ['.', ',', ',', "'s", '(', ')', '-', '"'];
  const harmonic = vocabulary.reduce((s, _, i) => s + 1 / (i + 1), 0);
  const zipf = (): string => {
    let u = sentenceRng.next() * harmonic;
    for (let i = 0; i < vocabulary.length; i++) if ((u -= 1 / (i + 1)) <= 0) return vocabulary[i];
    return vocabulary[vocabulary.length - 1];
  };
  return Array.from({ length: count }, () => {
    const n = minWords + sentenceRng.int(maxWords - minWords + 1);
    const words = Array.from({ length: n - 1 }, () => (sentenceRng.next() < 0.12 ? punctuation[sentenceRng.int(punctuation.length)] : zipf()));
    return [...words, '.'];
  });
}
