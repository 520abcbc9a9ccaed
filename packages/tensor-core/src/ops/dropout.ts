import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../init/rng.js';

/**
 * Inverted dropout: while training, zeroes each entry with probability `rate`
 * and scales the rest by `1 / (1 - rate)`; otherwise returns `x` itself (no copy,
 * so do not dispose the result separately from `x`).
 *
 * The noise is seeded: pass an {@link Rng} (each call draws a fresh seed from it,
 * so a run is reproducible from the generator's seed) or a fixed number (the
 * same mask every call).
 *
 * ```ts
 * const rng = new Rng(7);
 * dropout(tf.ones([2, 4]), 0.5, rng, true).print(); // entries 0 or 2, reproducible from seed 7
 * ```
 *
 * @param x any float tensor, e.g. `[B, T, D]`
 * @param rate drop probability in `[0, 1)`
 * @param rng seed source
 * @param training dropout is applied only when true
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, rng: Rng | number, training: boolean): T {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be in [0, 1), got ${rate}`);
  if (!training || rate === 0) return x;
  const seed = typeof rng === 'number' ? rng : rng.seed();
  return tf.dropout(x, rate, undefined, seed) as T; // [same as x]
}
