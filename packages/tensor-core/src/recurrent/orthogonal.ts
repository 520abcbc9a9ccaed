/**
 * Orthogonal initialisation of recurrent weights (Saxe et al. 2014; the Keras
 * / PyTorch default for LSTM recurrent kernels): keeps `h U` from shrinking or
 * blowing up along the time axis at the start of training.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../init/index.js';

/** A standard normal draw (Box-Muller) from the seeded generator. */
function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/**
 * An `[n, n]` orthogonal matrix: modified Gram-Schmidt on the rows of a
 * Gaussian matrix. A one-off O(n^3) JS loop (n = 200: ~8 M flops).
 */
export function orthogonalMatrix(n: number, rng: Rng): Float32Array {
  const m = new Float64Array(n * n);
  for (let k = 0; k < n * n; k++) m[k] = normal(rng);
  for (let r = 0; r < n; r++) {
    const row = r * n;
    for (let p = 0; p < r; p++) {
      const prev = p * n;
      let dot = 0;
      for (let k = 0; k < n; k++) dot += m[row + k] * m[prev + k];
      for (let k = 0; k < n; k++) m[row + k] -= dot * m[prev + k];
    }
    let norm = 0;
    for (let k = 0; k < n; k++) norm += m[row + k] * m[row + k];
    norm = Math.sqrt(norm) || 1;
    for (let k = 0; k < n; k++) m[row + k] /= norm;
  }
  return Float32Array.from(m);
}

/**
 * `[n, blocks * n]`: `blocks` independent orthogonal `[n, n]` matrices side by
 * side — one per LSTM gate for a recurrent kernel `[H, 4H]`.
 */
export function orthogonalBlocks(n: number, blocks: number, rng: Rng): tf.Tensor2D {
  const out = new Float32Array(n * n * blocks);
  for (let b = 0; b < blocks; b++) {
    const q = orthogonalMatrix(n, rng);
    for (let r = 0; r < n; r++) out.set(q.subarray(r * n, (r + 1) * n), r * n * blocks + b * n);
  }
  return tf.tensor2d(out, [n, n * blocks]);
}
