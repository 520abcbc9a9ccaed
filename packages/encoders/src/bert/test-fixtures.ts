import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folders of the tiny checkpoints written by `fixtures/generate_bert_fixture.py`. */
export const FIXTURES = {
  bert: fileURLToPath(new URL('../../fixtures/tiny-bert', import.meta.url)),
  albert: fileURLToPath(new URL('../../fixtures/tiny-albert', import.meta.url)),
} as const;

/** One sentence of a `reference.json`, computed by PyTorch transformers (see the generator). */
export interface ReferenceSentence {
  words: string[];
  word_ids: number[][];
  word_tokens: string[][];
  input_ids: number[];
  word_offsets: [number, number][];
  /** [W, D] last-layer states max-pooled over each word's sub-words. */
  word_max: number[][];
  /** [W, D] last-layer state of each word's first sub-word. */
  word_first: number[][];
  /** [D] last-layer state of [CLS]. */
  cls: number[];
}

export interface Reference {
  cls_token_id: number;
  sep_token_id: number;
  unk_token_id: number;
  sentences: ReferenceSentence[];
}

export function readReference(folder: string): Reference {
  return JSON.parse(readFileSync(`${folder}/reference.json`, 'utf8')) as Reference;
}
