import * as tf from '@tensorflow/tfjs-core';
import seedrandom from 'seedrandom';
import { fusedKernelsEnabled } from '../backend/fused-kernels.js';
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
 * With the fused kernels on (the default, `setFusedKernels`), the multiplier is
 * built in one pass here ({@link dropoutMultiplier}) instead of tf.dropout's four
 * kernels over the whole tensor; the two give the same values bit for bit.
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
  if (!fusedKernelsEnabled()) return tf.dropout(x, rate, undefined, seed) as T; // [same as x]
  return tf.tidy(() => tf.mul(x, dropoutMultiplier(x.shape, rate, seed))) as T; // [same as x]
}

/**
 * The multiplier `tf.dropout(x, rate, undefined, seed)` applies to `x`:
 * `floor(u + keep) / keep` for `u` uniform in [0, 1) drawn as tf.randomUniform
 * draws it (seedrandom's Alea seeded with `String(seed)`), i.e. `1 / keep` where
 * `u >= rate` and 0 elsewhere. Each step is rounded to float32 as tfjs' kernels
 * round it, so the values are tf.dropout's bit for bit, computed in one JS pass
 * instead of a random tensor and three kernels (Add, Floor, RealDiv) over it.
 *
 * @param shape the shape of the tensor dropout applies to
 * @param rate drop probability in `(0, 1)`
 * @param seed the seed tf.dropout would get
 * @returns float32 `[shape]` of 0 and `1 / keep`
 */
export function dropoutMultiplier(shape: number[], rate: number, seed: number): tf.Tensor {
  const keep = Math.fround(1 - rate); // tf.dropout's keepProb, a float32 scalar in its kernels
  const random = seedrandom.alea(String(seed)); // tf.randomUniform's generator for a number seed
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  for (let i = 0; i < values.length; i++) {
    const kept = Math.floor(Math.fround(Math.fround(random()) + keep)); // floor(u + keep): 1 (or 0) as the Add and Floor kernels give it
    values[i] = Math.fround(kept / keep); // RealDiv
  }
  return tf.tensor(values, shape, 'float32');
}
