/** The part of a transformers.js tokenizer the aligner uses. */
export interface AlignerTokenizer {
  encode(text: string, options?: { add_special_tokens?: boolean }): number[];
  readonly unk_token_id?: number | null;
}

/** One sentence as model input, with each word's sub-word range. */
export interface AlignedSentence {
  /** Sub-word ids with the model's special tokens (`[CLS] ... [SEP]` for BERT). */
  ids: number[];
  /** `[T]` position in `ids` of each word's first sub-word. */
  wordStarts: number[];
  /** `[T]` one past each word's last sub-word. */
  wordEnds: number[];
}

/**
 * Tokenizes word-split sentences into sub-words while remembering which
 * sub-words belong to which word: each word is tokenized on its own (as
 * Hugging Face's `is_split_into_words=True` does for BERT-style tokenizers), and
 * the special tokens the tokenizer adds around a single sequence are found once
 * by probing (`encode(probe)` with and without special tokens), so any
 * tokenizer's `[CLS]`/`[SEP]`, `<s>`/`</s>` layout is kept. A word that
 * tokenizes to nothing (e.g. a lone control character) becomes one `unk` token,
 * so every word has at least one sub-word.
 */
export class SubwordAligner {
  private readonly prefix: number[];
  private readonly suffix: number[];
  private readonly wordCache = new Map<string, number[]>();

  /**
   * @param tokenizer a transformers.js tokenizer
   * @param maxLength most positions the model takes (its `max_position_embeddings`)
   * @param source named in errors (the model folder)
   */
  constructor(
    private readonly tokenizer: AlignerTokenizer,
    private readonly maxLength: number,
    private readonly source: string,
  ) {
    const probe = 'a';
    const full = tokenizer.encode(probe, { add_special_tokens: true });
    const content = tokenizer.encode(probe, { add_special_tokens: false });
    const at = findSubarray(full, content);
    if (content.length === 0 || at < 0) {
      throw new Error(`${source}: cannot locate the special tokens of this tokenizer (encode("${probe}") gave [${full}] with and [${content}] without them)`);
    }
    this.prefix = full.slice(0, at);
    this.suffix = full.slice(at + content.length);
  }

  /** Sub-word ids of one word (memoised). */
  subwords(word: string): number[] {
    let ids = this.wordCache.get(word);
    if (!ids) {
      ids = this.tokenizer.encode(word, { add_special_tokens: false });
      if (ids.length === 0) {
        const unk = this.tokenizer.unk_token_id;
        if (unk === null || unk === undefined) throw new Error(`${this.source}: the word ${JSON.stringify(word)} tokenizes to nothing and the tokenizer has no unk token`);
        ids = [unk];
      }
      this.wordCache.set(word, ids);
    }
    return ids;
  }

  /** Lays out one sentence; throws, naming the sentence, when it exceeds `maxLength` sub-words. */
  align(words: readonly string[], sentenceIndex: number): AlignedSentence {
    const ids = [...this.prefix];
    const wordStarts: number[] = [];
    const wordEnds: number[] = [];
    for (const word of words) {
      wordStarts.push(ids.length);
      ids.push(...this.subwords(word));
      wordEnds.push(ids.length);
    }
    ids.push(...this.suffix);
    if (ids.length > this.maxLength) {
      throw new Error(
        `${this.source}: sentence ${sentenceIndex} (${words.length} words) is ${ids.length} sub-words long with special tokens, more than the model's ${this.maxLength} positions; split it`,
      );
    }
    return { ids, wordStarts, wordEnds };
  }
}

function findSubarray(haystack: number[], needle: number[]): number {
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((v, j) => haystack[i + j] === v)) return i;
  }
  return -1;
}
