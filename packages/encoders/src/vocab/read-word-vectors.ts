import { fileAccess } from '@spanrel/tensor-core';
import { normalizeWord } from './normalize-word.js';
import { WordVectors } from './word-vectors.js';

/** Options of {@link parseWordVectorsText} and {@link readWordVectorsFile}. */
export interface ReadWordVectorsOptions {
  /**
   * Lowercase the words of the file (default true). When two words of the file
   * lowercase to the same key, the one that is already lowercase wins, else the
   * first one (vector files are sorted by frequency).
   */
  lowercase?: boolean;
  /**
   * Keep only the (normalised) words this returns true for, e.g. the words of
   * the training data: a 2-million-word file then costs only the memory of the
   * words kept. Default: keep all.
   */
  keep?: (word: string) => boolean;
}

/**
 * Accumulates the lines of a GloVe / word2vec *text* file. Format: one word per
 * line followed by `dim` numbers, separated by single spaces; an optional first
 * line `<count> <dim>` (word2vec text format) is recognised and skipped. Words that
 * contain spaces (a few GloVe 840B entries) are supported: the last `dim` fields
 * are the vector, the rest is the word.
 */
class WordVectorsAccumulator {
  private dim = 0;
  private words: string[] = [];
  private rowOf = new Map<string, number>();
  private data = new Float32Array(1024);
  /** Rows whose vector came from a word already in normalised form (it wins over variants). */
  private exactRows = new Set<number>();

  constructor(
    private readonly source: string,
    private readonly lowercase: boolean,
    private readonly keep: ((word: string) => boolean) | undefined,
  ) {}

  add(rawLine: string, lineNumber: number): void {
    const line = rawLine.trimEnd();
    if (line.length === 0) return;
    const fields = line.split(' ');
    if (this.dim === 0) {
      if (lineNumber === 1 && fields.length === 2 && /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1])) {
        this.dim = Number(fields[1]); // word2vec header "<count> <dim>"
        if (this.dim < 1) throw new Error(`${this.source} line 1: the word2vec header gives dim ${this.dim}`);
        return;
      }
      this.dim = fields.length - 1;
      if (this.dim < 1) {
        throw new Error(`${this.source} line ${lineNumber}: expected a word followed by space-separated numbers, got ${JSON.stringify(line.slice(0, 80))}`);
      }
    }
    if (fields.length < this.dim + 1) {
      throw new Error(`${this.source} line ${lineNumber}: expected a word and ${this.dim} numbers, got ${fields.length - 1} field(s) after the first`);
    }
    const original = fields.slice(0, fields.length - this.dim).join(' ');
    const word = normalizeWord(original, this.lowercase);
    if (this.keep && !this.keep(word)) return;
    const exact = original === word;
    let row = this.rowOf.get(word);
    if (row !== undefined && (this.exactRows.has(row) || !exact)) return; // keep the first, unless this is the exact form
    if (row === undefined) {
      row = this.words.length;
      this.words.push(word);
      this.rowOf.set(word, row);
      this.grow((row + 1) * this.dim);
    }
    if (exact) this.exactRows.add(row);
    const offset = fields.length - this.dim;
    for (let j = 0; j < this.dim; j++) {
      const value = Number(fields[offset + j]);
      if (fields[offset + j] === '' || !Number.isFinite(value)) {
        throw new Error(`${this.source} line ${lineNumber}: value ${j + 1} of ${JSON.stringify(original)} is ${JSON.stringify(fields[offset + j])}, not a number`);
      }
      this.data[row * this.dim + j] = value;
    }
  }

  finish(): WordVectors {
    if (this.dim === 0) throw new Error(`${this.source}: no word vectors found (empty file?)`);
    return new WordVectors(this.words, this.data.slice(0, this.words.length * this.dim), this.dim, this.lowercase, this.source);
  }

  private grow(needed: number): void {
    if (needed <= this.data.length) return;
    const bigger = new Float32Array(Math.max(needed, this.data.length * 2));
    bigger.set(this.data);
    this.data = bigger;
  }
}

/**
 * Parses GloVe / word2vec text-format vectors held in a string (see
 * {@link readWordVectorsFile} for the format and options).
 *
 * ```ts
 * const v = parseWordVectorsText('the 0.1 0.2\nCat 0.3 0.4\n'); // dim 2, words ['the', 'cat']
 * ```
 */
export function parseWordVectorsText(text: string, options: ReadWordVectorsOptions = {}, source = 'word vectors'): WordVectors {
  const acc = new WordVectorsAccumulator(source, options.lowercase ?? true, options.keep);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) acc.add(lines[i], i + 1);
  return acc.finish();
}

/**
 * Streams a GloVe or word2vec **text** file (`.gz` is decompressed on the fly)
 * into {@link WordVectors}: one word per line followed by its numbers,
 * space-separated, with an optional word2vec header line `<count> <dim>`.
 * The word2vec binary format is not supported (convert it to text first).
 * Errors name the file and the line.
 */
export async function readWordVectorsFile(path: string, options: ReadWordVectorsOptions = {}): Promise<WordVectors> {
  const acc = new WordVectorsAccumulator(path, options.lowercase ?? true, options.keep);
  let lineNumber = 0;
  try {
    for await (const line of fileAccess.readLines(path)) acc.add(line, ++lineNumber);
  } catch (e) {
    // Before the first line: the file could not be opened (format errors from `add` name their line already).
    if (lineNumber === 0) throw new Error(`word vectors ${path}: cannot read (${(e as Error).message})`);
    throw e;
  }
  return acc.finish();
}
