/** Row 0 of every vocabulary: padding (its embedding is the 0 vector). */
export const PAD_TOKEN = '<pad>';
/** Row 1 of every vocabulary: anything not in it. */
export const UNK_TOKEN = '<unk>';
/** Index of {@link PAD_TOKEN}. */
export const PAD_INDEX = 0;
/** Index of {@link UNK_TOKEN}. */
export const UNK_INDEX = 1;

/**
 * An ordered list of tokens (words or characters) with `<pad>` at 0 and `<unk>`
 * at 1; `index(token)` maps anything unknown to 1. Immutable once built.
 */
export class Vocabulary {
  /** Every token, `<pad>` and `<unk>` first. */
  readonly tokens: readonly string[];
  private readonly lookup: Map<string, number>;

  /**
   * @param tokens the entries after `<pad>` and `<unk>` (which must not appear in it), in row order
   * @param source named in errors (e.g. the file it came from)
   */
  constructor(tokens: Iterable<string>, source = 'vocabulary') {
    this.tokens = [PAD_TOKEN, UNK_TOKEN, ...tokens];
    this.lookup = new Map();
    this.tokens.forEach((token, i) => {
      if (typeof token !== 'string') throw new Error(`${source}: entry ${i} is ${JSON.stringify(token)}, not a string`);
      if (this.lookup.has(token)) throw new Error(`${source}: token ${JSON.stringify(token)} appears twice (rows ${this.lookup.get(token)} and ${i})`);
      this.lookup.set(token, i);
    });
  }

  /** Number of rows, `<pad>` and `<unk>` included. */
  get size(): number {
    return this.tokens.length;
  }

  /** Row of `token`, or {@link UNK_INDEX} when it is not in the vocabulary. */
  index(token: string): number {
    return this.lookup.get(token) ?? UNK_INDEX;
  }

  /** Whether `token` has its own row. */
  has(token: string): boolean {
    return this.lookup.has(token);
  }

  /** The entries after `<pad>` and `<unk>` (what the constructor takes back). */
  entries(): string[] {
    return this.tokens.slice(2);
  }
}
