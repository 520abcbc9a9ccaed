import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Vocabularies } from './build-vocabulary.js';
import { PAD_TOKEN, UNK_TOKEN, Vocabulary } from './vocabulary.js';

/** File name of the vocabularies inside an assets directory. */
export const VOCABULARY_FILE = 'vocabulary.json';
const FORMAT = 'spanrel-vocabulary';

interface VocabularyJson {
  format: typeof FORMAT;
  version: 1;
  lowercase: boolean;
  /** Every row, `<pad>` and `<unk>` included, so row numbers are visible in the file. */
  words: string[];
  chars: string[];
}

/** Writes `dir/vocabulary.json` (creating `dir`). */
export async function saveVocabularies(dir: string, vocab: Vocabularies): Promise<void> {
  await mkdir(dir, { recursive: true });
  const json: VocabularyJson = { format: FORMAT, version: 1, lowercase: vocab.lowercase, words: [...vocab.words.tokens], chars: [...vocab.chars.tokens] };
  await writeFile(join(dir, VOCABULARY_FILE), JSON.stringify(json));
}

function rows(file: string, field: string, value: unknown): Vocabulary {
  if (!Array.isArray(value) || value[0] !== PAD_TOKEN || value[1] !== UNK_TOKEN) {
    throw new Error(`${file}: field "${field}" must be an array starting with "${PAD_TOKEN}", "${UNK_TOKEN}"`);
  }
  return new Vocabulary(value.slice(2), `${file} field "${field}"`);
}

/** Reads `dir/vocabulary.json` (synchronously: registry factories are synchronous). */
export function loadVocabulariesSync(dir: string): Vocabularies {
  const file = join(dir, VOCABULARY_FILE);
  let json: Partial<VocabularyJson>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as Partial<VocabularyJson>;
  } catch (e) {
    throw new Error(`${file}: cannot read the vocabulary (${(e as Error).message})`);
  }
  if (json.format !== FORMAT || json.version !== 1) throw new Error(`${file}: not a ${FORMAT} v1 file (format ${JSON.stringify(json.format)}, version ${JSON.stringify(json.version)})`);
  if (typeof json.lowercase !== 'boolean') throw new Error(`${file}: field "lowercase" must be a boolean`);
  return { words: rows(file, 'words', json.words), chars: rows(file, 'chars', json.chars), lowercase: json.lowercase };
}
