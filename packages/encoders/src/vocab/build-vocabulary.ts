import { normalizeWord } from './normalize-word.js';
import { Vocabulary } from './vocabulary.js';

/** A sentence as a list of words, or anything with `tokens` (a dataset document, a `WordBatch` row). */
export type SentenceInput = readonly string[] | { readonly tokens: readonly string[] };

/** The word and character vocabularies of a `BiLstmCharCnnEncoder`. */
export interface Vocabularies {
  /** Normalised words (see `lowercase`). */
  words: Vocabulary;
  /** Single characters (UTF-16 code points, never lowercased). */
  chars: Vocabulary;
  /** Whether words are lowercased before lookup. */
  lowercase: boolean;
}

/** Options of {@link buildVocabulary}. */
export interface BuildVocabularyOptions {
  /** Lowercase words before counting and lookup (default true). Characters keep their case. */
  lowercase?: boolean;
  /**
   * A word gets its own row when it occurs at least this often (default 2, so the
   * `<unk>` row of a trained embedding sees the rare words during training).
   * Ignored when `pretrained` is given.
   */
  minCount?: number;
  /** Same for characters (default 1). */
  charMinCount?: number;
  /**
   * Fixed word vectors (or any set of words). When given, the word vocabulary is
   * exactly the words of `sentences` that have a pretrained vector, whatever their
   * count; every other word maps to `<unk>`. Pass the unlabeled words of dev/test
   * too if you want their vectors kept.
   */
  pretrained?: { has(word: string): boolean; readonly lowercase?: boolean };
}

function tokensOf(sentence: SentenceInput, index: number): readonly string[] {
  const tokens = Array.isArray(sentence) ? sentence : (sentence as { tokens?: unknown }).tokens;
  if (!Array.isArray(tokens)) throw new Error(`buildVocabulary: sentence ${index} is neither a string[] nor has a "tokens" array`);
  return tokens as readonly string[];
}

/** Entries with count >= min, most frequent first, ties in order of first appearance. */
function frequent(counts: Map<string, number>, min: number): string[] {
  return [...counts].filter(([, c]) => c >= min).sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

/**
 * Builds the word and character vocabularies from training sentences (row 0
 * `<pad>`, row 1 `<unk>`, then by decreasing frequency).
 *
 * ```ts
 * const vocab = buildVocabulary([['John', 'works', 'for', 'IBM'], { tokens: ['IBM', 'hired', 'John'] }], { minCount: 2 });
 * vocab.words.entries(); // ['john', 'ibm']
 * ```
 */
export function buildVocabulary(sentences: Iterable<SentenceInput>, options: BuildVocabularyOptions = {}): Vocabularies {
  const lowercase = options.lowercase ?? true;
  const minCount = options.minCount ?? 2;
  const charMinCount = options.charMinCount ?? 1;
  for (const [field, value] of [['minCount', minCount], ['charMinCount', charMinCount]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`buildVocabulary: options.${field} must be a positive integer, got ${value}`);
  }
  const { pretrained } = options;
  if (pretrained?.lowercase !== undefined && pretrained.lowercase !== lowercase) {
    throw new Error(`buildVocabulary: options.lowercase is ${lowercase} but the pretrained vectors were read with lowercase ${pretrained.lowercase}`);
  }
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  let index = 0;
  for (const sentence of sentences) {
    const tokens = tokensOf(sentence, index);
    tokens.forEach((token, t) => {
      if (typeof token !== 'string' || token.length === 0) {
        throw new Error(`buildVocabulary: sentence ${index} token ${t} is ${JSON.stringify(token)}, expected a non-empty string`);
      }
      const word = normalizeWord(token, lowercase);
      wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
      for (const ch of token) charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
    });
    index++;
  }
  const words = pretrained ? frequent(wordCounts, 1).filter((w) => pretrained.has(w)) : frequent(wordCounts, minCount);
  return { words: new Vocabulary(words, 'word vocabulary'), chars: new Vocabulary(frequent(charCounts, charMinCount), 'char vocabulary'), lowercase };
}
