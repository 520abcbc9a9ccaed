import * as tf from '@tensorflow/tfjs-core';

/**
 * Turns per-sentence indices `[B, ...]` into indices into the flattened
 * `[B * T, ...]` batch by adding `b * T` to the indices of sentence `b`
 * (AllenNLP `flatten_and_batch_shift_indices`).
 *
 * @param indices int32 `[B, ...I]`, each in `[0, T)`
 * @param seqLen T, the size of the axis being indexed
 * @returns int32 `[B * prod(I)]`
 */
export function flattenAndBatchShiftIndices(indices: tf.Tensor, seqLen: number): tf.Tensor1D {
  return tf.tidy(() => {
    const batchSize = indices.shape[0];
    const offsetShape = [batchSize, ...indices.shape.slice(1).map(() => 1)]; // [B, 1, ..., 1]
    const offsets = tf.reshape(tf.mul(tf.range(0, batchSize, 1, 'int32'), tf.scalar(seqLen, 'int32')), offsetShape); // [B, 1, ..., 1]
    return tf.reshape(tf.add(indices, offsets), [-1]) as tf.Tensor1D; // [B * prod(I)]
  });
}

/**
 * Per-sentence gather: `out[b, i..., :] = x[b, indices[b, i...], :]`
 * (AllenNLP `batched_index_select`). One `gather` on the flattened batch, so the
 * gradient w.r.t. `x` is a single scatter-add (repeated indices accumulate).
 *
 * Indices must lie in `[0, T)`: an index outside would read another sentence of
 * the batch (or make tfjs throw). Callers clip or mask first (as
 * {@link batchedSpanSelect} does).
 *
 * ```ts
 * const x = tf.tensor3d([[[1], [2], [3]], [[4], [5], [6]]]); // [B=2, T=3, D=1]
 * const idx = tf.tensor2d([[2, 0], [1, 1]], undefined, 'int32'); // [B, 2]
 * batchedIndexSelect(x, idx).print(); // [[[3], [1]], [[5], [5]]]  -> [B, 2, D]
 * ```
 *
 * @param x `[B, T, ...F]` (usually `[B, T, D]`), any dtype
 * @param indices int32 `[B, ...I]`
 * @returns `[B, ...I, ...F]`
 */
export function batchedIndexSelect(x: tf.Tensor, indices: tf.Tensor): tf.Tensor {
  if (x.rank < 2) throw new Error(`batchedIndexSelect: x must have rank >= 2 ([B, T, ...]), got shape [${x.shape.join(', ')}]`);
  if (indices.dtype !== 'int32') throw new Error(`batchedIndexSelect: indices must be int32, got ${indices.dtype}`);
  if (indices.rank < 1 || indices.shape[0] !== x.shape[0]) {
    throw new Error(`batchedIndexSelect: indices shape [${indices.shape.join(', ')}] must start with the batch size ${x.shape[0]} of x [${x.shape.join(', ')}]`);
  }
  const [batchSize, seqLen, ...featureShape] = x.shape; // B, T, F
  return tf.tidy(() => {
    const flatIndices = flattenAndBatchShiftIndices(indices, seqLen); // [B * prod(I)]
    const flatX = tf.reshape(x, [batchSize * seqLen, ...featureShape]); // [B * T, ...F]
    const picked = tf.gather(flatX, flatIndices, 0); // [B * prod(I), ...F]
    return tf.reshape(picked, [...indices.shape, ...featureShape]); // [B, ...I, ...F]
  });
}
