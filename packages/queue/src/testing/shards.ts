/** Test support (not exported): DyGIE++ JSONL shards and a stand-in predictor. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Document } from '@spanrel/datasets';
import type { SentenceInput } from '@spanrel/joint';
import type { ShardPredictor } from '../predict-shard.js';

const WORDS = ['Ada', 'works', 'for', 'Kestrel', 'Labs', 'in', 'Oslo', '.'];

/** One DyGIE++ document line: `sentences` sentences of 3-8 words, no annotations. */
export function dygieLine(docKey: string, sentences: number): string {
  const words = Array.from({ length: sentences }, (_, s) => WORDS.slice(0, 3 + ((s + docKey.length) % 6)));
  return JSON.stringify({ doc_key: docKey, sentences: words, ner: words.map(() => []), relations: words.map(() => []) });
}

/** Writes `dir/<name>` with the documents `docKeys` (2 sentences each); returns its path. */
export function writeShard(dir: string, name: string, docKeys: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, docKeys.map((key) => `${dygieLine(key, 2)}\n`).join(''));
  return path;
}

/** A predictor that marks each sentence's first word as a Person, and counts its calls. */
export function fakePredictor(): ShardPredictor & { calls: number } {
  const predict = async (sentences: readonly SentenceInput[]): Promise<Document[]> => {
    predict.calls++;
    return sentences.map((s) => ({
      id: s.id ?? '',
      docKey: s.docKey,
      sentenceIndex: s.sentenceIndex,
      extra: s.extra,
      tokens: [...s.tokens],
      entities: [{ type: 'Person', start: 0, end: 1 }],
      relations: [],
    }));
  };
  predict.calls = 0;
  return predict;
}
