/** Reading and writing any supported format, picked from the file extension. */
import { extname } from 'node:path';
import type { Document } from '../types.js';
import { readConllBio, writeConllBio, type ConllReadOptions, type ConllWriteOptions } from './conll-bio.js';
import { readDygieJsonl, writeDygieJsonl } from './dygie-jsonl.js';
import { readSpertJson, writeSpertJson, type SpertWriteOptions } from './spert-json.js';

/** The supported file formats. */
export type DatasetFormat = 'spert' | 'dygie' | 'conll';

const EXTENSIONS: Record<string, DatasetFormat> = {
  '.json': 'spert',
  '.jsonl': 'dygie',
  '.conll': 'conll',
  '.bio': 'conll',
  '.iob': 'conll',
  '.iob2': 'conll',
  '.tsv': 'conll',
  '.txt': 'conll',
};

/**
 * The format of a path from its extension: `.json` -> SpERT JSON, `.jsonl` -> DyGIE++
 * JSONL, `.conll` / `.bio` / `.iob` / `.iob2` / `.tsv` / `.txt` -> CoNLL BIO. Throws for
 * any other extension, listing the known ones.
 */
export function formatFromPath(path: string): DatasetFormat {
  const ext = extname(path).toLowerCase();
  const format = EXTENSIONS[ext];
  if (!format) {
    throw new Error(`${path}: cannot tell the data format from the extension "${ext}" (known: ${Object.keys(EXTENSIONS).join(', ')}); pass the format explicitly`);
  }
  return format;
}

/** Reader options plus an explicit format. */
export interface ReadDocumentsOptions extends ConllReadOptions {
  /** The format; default: from the extension (see `formatFromPath`). */
  format?: DatasetFormat;
}

/**
 * Reads documents from a file in the given format, or the one its extension says (see
 * `formatFromPath`). Call as `readDocuments(path, { schema })`,
 * `readDocuments(path, 'spert', { schema })` or `readDocuments(path)`.
 */
export function readDocuments(path: string, formatOrOptions?: DatasetFormat | ReadDocumentsOptions, options: ConllReadOptions = {}): Document[] {
  const opts: ReadDocumentsOptions = typeof formatOrOptions === 'object' ? formatOrOptions : { ...options, format: formatOrOptions };
  const format = opts.format ?? formatFromPath(path);
  switch (format) {
    case 'spert':
      return readSpertJson(path, opts);
    case 'dygie':
      return readDygieJsonl(path, opts);
    case 'conll':
      return readConllBio(path, opts);
  }
}

/** Writes documents to a file in the given format, or the one its extension says. */
export function writeDocuments(
  path: string,
  docs: readonly Document[],
  format: DatasetFormat = formatFromPath(path),
  options: SpertWriteOptions & ConllWriteOptions = {},
): void {
  switch (format) {
    case 'spert':
      return writeSpertJson(path, docs, options);
    case 'dygie':
      return writeDygieJsonl(path, docs, options);
    case 'conll':
      return writeConllBio(path, docs, options);
  }
}
