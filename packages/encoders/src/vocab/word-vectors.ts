/**
 * A set of fixed word vectors (GloVe, word2vec, wink): `words[i]` has the row
 * `data[i * dim .. (i + 1) * dim)`. Keys are already normalised as the reader was
 * told (`lowercase`), so a vocabulary built with the same flag looks them up directly.
 */
export class WordVectors {
  readonly words: readonly string[];
  /** `[words.length, dim]` row-major. */
  readonly data: Float32Array;
  readonly dim: number;
  /** Whether the keys were lowercased when read (see `normalizeWord`). */
  readonly lowercase: boolean;
  private readonly rows: Map<string, number>;

  constructor(words: readonly string[], data: Float32Array, dim: number, lowercase: boolean, source = 'word vectors') {
    if (!Number.isInteger(dim) || dim < 1) throw new Error(`${source}: dim must be a positive integer, got ${dim}`);
    if (data.length !== words.length * dim) {
      throw new Error(`${source}: ${words.length} words x dim ${dim} needs ${words.length * dim} values, got ${data.length}`);
    }
    this.words = words;
    this.data = data;
    this.dim = dim;
    this.lowercase = lowercase;
    this.rows = new Map();
    words.forEach((w, i) => {
      if (this.rows.has(w)) throw new Error(`${source}: word ${JSON.stringify(w)} appears twice`);
      this.rows.set(w, i);
    });
  }

  /** Number of words. */
  get size(): number {
    return this.words.length;
  }

  has(word: string): boolean {
    return this.rows.has(word);
  }

  /** The vector of `word` (a view, do not modify), or undefined. */
  get(word: string): Float32Array | undefined {
    const row = this.rows.get(word);
    return row === undefined ? undefined : this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }
}
