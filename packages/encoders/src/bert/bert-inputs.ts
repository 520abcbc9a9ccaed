/**
 * A batch of word-tokenized sentences turned into padded sub-word inputs for a
 * BERT-family model, plus the indices that pool sub-word states back to words.
 * Plain typed arrays (row-major); the encoder makes the tensors.
 *
 * Sentence b is `prefix + pieces(word 0) + ... + pieces(word W-1) + suffix`,
 * padded to N sub-words; word t covers sub-words `[wordOffsets[b][t][0], wordOffsets[b][t][1])`.
 */
export interface BertInputs {
  /** B */
  batchSize: number;
  /** N: sub-words of the longest sentence, special tokens included. */
  length: number;
  /** T: words of the longest sentence. */
  numWords: number;
  /** K: sub-words of the longest word (at least 1). */
  maxPieces: number;
  /** `[B, N]` int32 sub-word ids, `padId` at padding. */
  inputIds: Int32Array;
  /** `[B, N]` float32, 1 = real sub-word (special tokens included), 0 = padding. */
  attentionMask: Float32Array;
  /** `[B, T, K]` int32 position of the k-th sub-word of word t (0 where the word has fewer). */
  pieceIndex: Int32Array;
  /** `[B, T, K]` float32, 1 where `pieceIndex` is a real sub-word of a real word. */
  pieceMask: Float32Array;
  /** `[B, T, 2]` int32 sub-word range `[start, end)` of word t (`(0, 0)` at padding words). */
  pieceRanges: Int32Array;
  /** `[B, T]` int32 position of the first sub-word of word t (0 at padding words). */
  firstIndex: Int32Array;
  /** `[B, T]` float32, 1 = real word. */
  wordMask: Float32Array;
  /** Per sentence: its unpadded ids and each word's `[start, end)` sub-word range. */
  sentences: { inputIds: number[]; wordOffsets: [number, number][] }[];
}

/** What {@link buildBertInputs} needs from the tokenizer and the model. */
export interface BertInputLayout {
  /** Ids put before each sentence (`[CLS]`). */
  prefixIds: number[];
  /** Ids put after it (`[SEP]`). */
  suffixIds: number[];
  /** Id at padding positions. */
  padId: number;
  /** The model's position limit (`max_position_embeddings`). */
  maxPositions: number;
}

/**
 * Lays out the sub-words of a batch. `wordIds(word)` gives the ids of one word
 * (at least one). Throws, naming the sentence's index in the batch, its
 * sub-word count and its first words, when a sentence needs more positions
 * than the model has: spanrel does not truncate or window silently.
 */
export function buildBertInputs(sentences: string[][], wordIds: (word: string) => number[], layout: BertInputLayout): BertInputs {
  const { prefixIds, suffixIds, padId, maxPositions } = layout;
  const laidOut = sentences.map((words, b) => {
    if (!Array.isArray(words)) throw new Error(`bert-encoder: batch.tokens[${b}] must be an array of words, got ${typeof words}`);
    const inputIds = [...prefixIds];
    const wordOffsets: [number, number][] = [];
    words.forEach((word, t) => {
      if (typeof word !== 'string') throw new Error(`bert-encoder: batch.tokens[${b}][${t}] must be a string, got ${JSON.stringify(word)}`);
      const ids = wordIds(word);
      wordOffsets.push([inputIds.length, inputIds.length + ids.length]);
      for (const id of ids) inputIds.push(id);
    });
    inputIds.push(...suffixIds);
    if (inputIds.length > maxPositions) {
      const preview = words.slice(0, 8).join(' ') + (words.length > 8 ? ' ...' : '');
      throw new Error(
        `bert-encoder: sentence ${b} of the batch (${words.length} words: "${preview}") has ${inputIds.length} sub-words ` +
          `with its special tokens, more than the model's ${maxPositions} positions (max_position_embeddings); split it before encoding`,
      );
    }
    return { inputIds, wordOffsets };
  });

  const batchSize = sentences.length;
  const length = Math.max(0, ...laidOut.map((s) => s.inputIds.length));
  const numWords = Math.max(0, ...laidOut.map((s) => s.wordOffsets.length));
  const maxPieces = Math.max(1, ...laidOut.flatMap((s) => s.wordOffsets.map(([start, end]) => end - start)));
  const inputIds = new Int32Array(batchSize * length).fill(padId);
  const attentionMask = new Float32Array(batchSize * length);
  const pieceIndex = new Int32Array(batchSize * numWords * maxPieces);
  const pieceMask = new Float32Array(batchSize * numWords * maxPieces);
  const pieceRanges = new Int32Array(batchSize * numWords * 2);
  const firstIndex = new Int32Array(batchSize * numWords);
  const wordMask = new Float32Array(batchSize * numWords);
  laidOut.forEach(({ inputIds: ids, wordOffsets }, b) => {
    inputIds.set(ids, b * length);
    attentionMask.fill(1, b * length, b * length + ids.length);
    wordOffsets.forEach(([start, end], t) => {
      const word = b * numWords + t;
      firstIndex[word] = start;
      pieceRanges[2 * word] = start;
      pieceRanges[2 * word + 1] = end;
      wordMask[word] = 1;
      for (let k = 0; k < end - start; k++) {
        pieceIndex[word * maxPieces + k] = start + k;
        pieceMask[word * maxPieces + k] = 1;
      }
    });
  });
  return { batchSize, length, numWords, maxPieces, inputIds, attentionMask, pieceIndex, pieceMask, pieceRanges, firstIndex, wordMask, sentences: laidOut };
}
