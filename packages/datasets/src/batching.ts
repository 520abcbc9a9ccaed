/**
 * Batching without tensors: shuffle with a seed, sort or bucket by length (so a batch
 * pads little), cut into batches. Every function returns new arrays and keeps every item
 * (except `dropLast`, which drops the final short batch on request).
 */
import { toRng, type Rng } from './rng.js';

/** A shuffled copy of `items` (Fisher-Yates with a seeded `Rng`). */
export function shuffled<T>(items: readonly T[], seed: number | Rng): T[] {
  return toRng(seed).shuffleInPlace([...items]);
}

/** Consecutive batches of `batchSize` items; the last one may be shorter. */
export function chunk<T>(items: readonly T[], batchSize: number): T[][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a positive integer (got ${batchSize})`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) out.push(items.slice(i, i + batchSize));
  return out;
}

/** A copy sorted by `lengthOf` (ascending by default); stable, so equal lengths keep their order. */
export function sortByLength<T>(items: readonly T[], lengthOf: (item: T) => number, descending = false): T[] {
  const sign = descending ? -1 : 1;
  return items
    .map((item, i) => ({ item, i, len: lengthOf(item) }))
    .sort((a, b) => sign * (a.len - b.len) || a.i - b.i)
    .map((x) => x.item);
}

/**
 * Items grouped by length: with ascending `boundaries` [b0, b1, ...], bucket 0 holds
 * lengths <= b0, bucket i lengths in (b(i-1), bi], and a last bucket lengths > the last
 * boundary. Always `boundaries.length + 1` buckets (some maybe empty); order kept inside.
 */
export function bucketByLength<T>(items: readonly T[], lengthOf: (item: T) => number, boundaries: readonly number[]): T[][] {
  for (let i = 1; i < boundaries.length; i++) {
    if (!(boundaries[i] > boundaries[i - 1])) throw new RangeError(`boundaries must be strictly ascending (got ${boundaries.join(', ')})`);
  }
  const buckets: T[][] = Array.from({ length: boundaries.length + 1 }, () => []);
  for (const item of items) {
    const len = lengthOf(item);
    let b = boundaries.findIndex((limit) => len <= limit);
    if (b < 0) b = boundaries.length;
    buckets[b].push(item);
  }
  return buckets;
}

export interface BatchOptions {
  batchSize: number;
  /** Shuffle the items before batching and the batches after (default false). */
  shuffle?: boolean;
  /** Seed or `Rng` for shuffling (default 0). */
  seed?: number | Rng;
  /**
   * Sort by length inside pools of `sortWindow` batches before cutting, so each batch
   * holds similar lengths while the order stays random across pools (0 = no sorting,
   * the default; Infinity = sort everything).
   */
  sortWindow?: number;
  /** Drop the last batch when it is shorter than `batchSize` (default false). */
  dropLast?: boolean;
}

/**
 * Batches for one epoch: optionally shuffle, sort by length within pools, cut into batches
 * of `batchSize`, and shuffle the batch order. Deterministic for a given seed.
 */
export function makeBatches<T>(items: readonly T[], lengthOf: (item: T) => number, options: BatchOptions): T[][] {
  const rng = options.shuffle ? toRng(options.seed ?? 0) : undefined;
  let order = rng ? rng.shuffleInPlace([...items]) : [...items];
  const window = options.sortWindow ?? 0;
  if (window > 0) {
    const pool = window === Infinity ? order.length : window * options.batchSize;
    order = chunk(order, Math.max(1, pool)).flatMap((part) => sortByLength(part, lengthOf));
  }
  let batches = chunk(order, options.batchSize);
  if (options.dropLast && batches.length > 0 && batches[batches.length - 1].length < options.batchSize) batches = batches.slice(0, -1);
  return rng ? rng.shuffleInPlace(batches) : batches;
}

/**
 * Batches in the given order whose padded size (`batch length x longest item`) stays
 * within `maxTokens`, with at most `maxBatchSize` items. An item longer than `maxTokens`
 * gets a batch of its own (it is never dropped). Sort by length first to pack tightly.
 */
export function batchByTokenBudget<T>(items: readonly T[], lengthOf: (item: T) => number, maxTokens: number, maxBatchSize = Infinity): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let longest = 0;
  for (const item of items) {
    const len = lengthOf(item);
    const nextLongest = Math.max(longest, len);
    if (current.length > 0 && ((current.length + 1) * nextLongest > maxTokens || current.length >= maxBatchSize)) {
      out.push(current);
      current = [];
      longest = 0;
    }
    current.push(item);
    longest = Math.max(longest, len);
  }
  if (current.length > 0) out.push(current);
  return out;
}
