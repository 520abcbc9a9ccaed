/**
 * A tiny seeded random number generator (mulberry32), so that sampling, shuffling and folds
 * are reproducible without depending on tensor-core. Not for cryptography.
 */

/** A seeded source of random numbers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffleInPlace<T>(items: T[]): T[];
  /** `k` distinct integers from [0, n), uniformly, in random order (k is clipped to n). */
  sampleIndices(n: number, k: number): number[];
}

/** The raw mulberry32 generator: a function returning uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seeded `Rng` (the same seed gives the same sequence). */
export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    shuffleInPlace<T>(items: T[]): T[] {
      for (let i = items.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      return items;
    },
    sampleIndices(n: number, k: number): number[] {
      const take = Math.max(0, Math.min(k, n));
      // Partial Fisher-Yates over a sparse view of [0, n): O(k) time and memory.
      const swapped = new Map<number, number>();
      const out: number[] = [];
      for (let i = 0; i < take; i++) {
        const j = i + int(n - i);
        const vi = swapped.get(i) ?? i;
        const vj = swapped.get(j) ?? j;
        swapped.set(j, vi);
        out.push(vj);
      }
      return out;
    },
  };
}

/** `seed` as an `Rng`: a number makes a fresh generator; an `Rng` is used as is. */
export function toRng(seed: number | Rng): Rng {
  return typeof seed === 'number' ? createRng(seed) : seed;
}
