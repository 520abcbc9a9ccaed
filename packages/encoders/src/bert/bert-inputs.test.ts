import { describe, expect, it } from 'vitest';
import { buildBertInputs } from './bert-inputs.js';

/** A toy tokenizer: one sub-word per 3 letters, id = 100 + word length * 10 + piece index. */
const toyIds = (word: string): number[] => Array.from({ length: Math.max(1, Math.ceil(word.length / 3)) }, (_, k) => 100 + word.length * 10 + k);
const layout = { prefixIds: [1], suffixIds: [2], padId: 0, maxPositions: 12 };

describe('buildBertInputs', () => {
  it('lays out [CLS] pieces [SEP], pads, and records word ranges and pooling indices (hand-computed)', () => {
    // "abcdefg" -> 3 pieces, "hi" -> 1, "xyzw" -> 2
    const sub = buildBertInputs([['abcdefg', 'hi'], ['xyzw'], []], toyIds, layout);
    expect([sub.batchSize, sub.length, sub.numWords, sub.maxPieces]).toEqual([3, 6, 2, 3]);
    expect(Array.from(sub.inputIds)).toEqual([1, 170, 171, 172, 120, 2, /**/ 1, 140, 141, 2, 0, 0, /**/ 1, 2, 0, 0, 0, 0]);
    expect(Array.from(sub.attentionMask)).toEqual([1, 1, 1, 1, 1, 1, /**/ 1, 1, 1, 1, 0, 0, /**/ 1, 1, 0, 0, 0, 0]);
    expect(sub.sentences.map((s) => s.wordOffsets)).toEqual([[[1, 4], [4, 5]], [[1, 3]], []]);
    expect(Array.from(sub.firstIndex)).toEqual([1, 4, 1, 0, 0, 0]);
    expect(Array.from(sub.wordMask)).toEqual([1, 1, 1, 0, 0, 0]);
    // [B, T, K]: word (0,0) -> 1,2,3; (0,1) -> 4; (1,0) -> 1,2; the rest masked
    expect(Array.from(sub.pieceIndex)).toEqual([1, 2, 3, 4, 0, 0, /**/ 1, 2, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 0]);
    expect(Array.from(sub.pieceMask)).toEqual([1, 1, 1, 1, 0, 0, /**/ 1, 1, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 0, 0]);
    // [B, T, 2]: each word's [start, end) sub-word range, (0, 0) at padding words (the encoder pools over these)
    expect(Array.from(sub.pieceRanges)).toEqual([1, 4, 4, 5, /**/ 1, 3, 0, 0, /**/ 0, 0, 0, 0]);
  });

  it('accepts a sentence of exactly maxPositions sub-words and names the first one over it', () => {
    const fits = Array.from({ length: 10 }, () => 'a'); // 10 + 2 = 12
    expect(buildBertInputs([fits], toyIds, layout).length).toBe(12);
    const tooLong = [...fits, 'abcd']; // 10 + 2 + 2 = 14
    expect(() => buildBertInputs([['ok'], tooLong], toyIds, layout)).toThrow(
      'bert-encoder: sentence 1 of the batch (11 words: "a a a a a a a a ...") has 14 sub-words with its special tokens, more than the model\'s 12 positions',
    );
  });

  it('gives an empty batch empty arrays and rejects a word that is not a string', () => {
    const empty = buildBertInputs([], toyIds, layout);
    expect([empty.batchSize, empty.length, empty.numWords, empty.inputIds.length]).toEqual([0, 0, 0, 0]);
    expect(() => buildBertInputs([['a', 3 as unknown as string]], toyIds, layout)).toThrow('bert-encoder: batch.tokens[0][1] must be a string, got 3');
  });
});
