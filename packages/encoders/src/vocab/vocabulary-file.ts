import { fileAccess, joinPath } from '@spanrel/tensor-core';
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

/** The text of `vocabulary.json` for `vocab`. */
export function formatVocabularies(vocab: Vocabularies): string {
  const json: VocabularyJson = { format: FORMAT, version: 1, lowercase: vocab.lowercase, words: [...vocab.words.tokens], chars: [...vocab.chars.tokens] };
  return JSON.stringify(json);
}

/** Writes `dir/vocabulary.json` (creating `dir`). */
export async function saveVocabularies(dir: string, vocab: Vocabularies): Promise<void> {
  await fileAccess.makeDirectory(dir);
  await fileAccess.writeFile(joinPath(dir, VOCABULARY_FILE), formatVocabularies(vocab));
}

function rows(file: string, field: string, value: unknown): Vocabulary {
  if (!Array.isArray(value) || value[0] !== PAD_TOKEN || value[1] !== UNK_TOKEN) {
    throw new Error(`${file}: field "${field}" must be an array starting with "${PAD_TOKEN}", "${UNK_TOKEN}"`);
  }
  return new Vocabulary(value.slice(2), `${file} field "${field}"`);
}

/** Parses the text of a `vocabulary.json`; errors name `file`. */
export function parseVocabularies(text: string, file: string): Vocabularies {
  let json: Partial<VocabularyJson>;
  try {
    json = JSON.parse(text) as Partial<VocabularyJson>;
  } catch (e) {
    throw new Error(`${file}: cannot read the vocabulary (${(e as Error).message})`);
  }
  if (json.format !== FORMAT || json.version !== 1) throw new Error(`${file}: not a ${FORMAT} v1 file (format ${JSON.stringify(json.format)}, version ${JSON.stringify(json.version)})`);
  if (typeof json.lowercase !== 'boolean') throw new Error(`${file}: field "lowercase" must be a boolean`);
  return { words: rows(file, 'words', json.words), chars: rows(file, 'chars', json.chars), lowercase: json.lowercase };
}

/** Reads `dir/vocabulary.json` (synchronously: registry factories are synchronous). */
export function loadVocabulariesSync(dir: string): Vocabularies {
  const file = joinPath(dir, VOCABULARY_FILE);
  let text: string;
  try {
    text = fileAccess.readTextFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read the vocabulary (${(e as Error).message})`);
  }
  return parseVocabularies(text, file);
}
