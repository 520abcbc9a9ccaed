/** Whether a shard's output file is already there and complete (so a retried job skips it). */
import { existsSync, readFileSync } from 'node:fs';
import { parseDygieJsonl, type Document } from '@spanrel/datasets';

/** The verdict on an output file: complete, or why not. */
export type OutputCheck = { complete: true } | { complete: false; reason: string };

/** The identity of a sentence in a shard: document key, position and words. */
function sameSentence(a: Document, b: Document): boolean {
  return a.docKey === b.docKey && a.sentenceIndex === b.sentenceIndex && a.tokens.length === b.tokens.length && a.tokens.every((t, i) => t === b.tokens[i]);
}

/**
 * Checks the output file of a shard against the shard's sentences: complete when it reads
 * as DyGIE++ JSONL and holds the same documents and sentences (keys, positions, words), in
 * order. Outputs are written atomically, so a file that exists is normally complete; the
 * check also catches a file left by something else, or an output of an older, different shard.
 */
export function checkShardOutput(outPath: string, input: readonly Document[]): OutputCheck {
  if (!existsSync(outPath)) return { complete: false, reason: 'no output yet' };
  let output: Document[];
  try {
    output = parseDygieJsonl(readFileSync(outPath, 'utf8'), outPath, { lenient: true, onWarnings: () => {} });
  } catch (error) {
    return { complete: false, reason: `unreadable: ${(error as Error).message.split('\n')[0]}` };
  }
  if (output.length !== input.length) return { complete: false, reason: `${output.length} sentences, the shard has ${input.length}` };
  const differing = input.findIndex((sentence, i) => !sameSentence(sentence, output[i]));
  if (differing >= 0) return { complete: false, reason: `sentence ${differing} (${input[differing].id ?? '?'}) differs from the shard's` };
  return { complete: true };
}
