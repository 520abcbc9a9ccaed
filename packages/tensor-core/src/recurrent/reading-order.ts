/**
 * Moving a padded batch into the order an LSTM reads it — time-major, and for
 * the backward direction each sentence reversed within its own length — and
 * back, as row gathers.
 *
 * A backward LSTM must start at every sentence's own last word, not at the
 * batch's last (padding) column. With `L_b` real words in row b (the mask's
 * 1s, left-aligned), step t of row b reads word `src(b, t) = L_b - 1 - t` for
 * `t < L_b` (padding positions keep their place); forward, `src(b, t) = t`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The two row permutations between batch-major `[B*T, ...]` and reading-order time-major `[T*B, ...]` rows. */
export interface ReadingOrder {
  /** `[T*B]` int32: time-major row `t*B + b` takes batch-major row `b*T + src(b, t)`. */
  toTimeMajor: tf.Tensor1D;
  /** `[B*T]` int32, the inverse: batch-major row `b*T + t` takes time-major row `src(b, t)*B + b`. */
  toBatchMajor: tf.Tensor1D;
}

/**
 * @param mask `[B, T]` 1 for real words, 0 for padding; real words first in each row
 * @param reverse read each sentence right to left
 */
export function readingOrder(mask: tf.Tensor2D, reverse: boolean): ReadingOrder {
  return tf.tidy(() => {
    const [B, T] = mask.shape;
    const int = (v: number) => tf.scalar(v, 'int32'); // plain numbers would promote the indices to float32
    const positions = tf.broadcastTo(tf.reshape(tf.range(0, T, 1, 'int32'), [1, T]), [B, T]); // [B, T] t
    let src: tf.Tensor = positions; // [B, T] src(b, t)
    if (reverse) {
      const lengths = tf.broadcastTo(tf.cast(tf.sum(tf.cast(mask, 'float32'), 1, true), 'int32'), [B, T]); // [B, T] L_b
      src = tf.where(tf.less(positions, lengths), tf.sub(tf.sub(lengths, int(1)), positions), positions); // [B, T]
    }
    const rowOf = tf.reshape(tf.range(0, B, 1, 'int32'), [B, 1]); // [B, 1] b
    const batchMajorSource = tf.add(tf.mul(rowOf, int(T)), src); // [B, T] b*T + src(b, t)
    const timeMajorSource = tf.add(tf.mul(src, int(B)), rowOf); // [B, T] src(b, t)*B + b
    return {
      toTimeMajor: tf.reshape(tf.transpose(batchMajorSource), [T * B]) as tf.Tensor1D, // [T*B]
      toBatchMajor: tf.reshape(timeMajorSource, [B * T]) as tf.Tensor1D, // [B*T]
    };
  });
}

/**
 * `tf.gather(x, index)` for a row *permutation*, whose gradient is the gather
 * by the inverse permutation — so it needs no `UnsortedSegmentSum` (missing
 * on stock wasm, slow on stock cpu), unlike a plain gather's.
 *
 * @param x `[N, D]`
 * @param index `[N]` int32, a permutation of 0..N-1
 * @param inverse `[N]` int32, its inverse (`index[inverse[r]] = r`)
 * @returns `[N, D]` with row r = `x[index[r]]`
 */
export function permuteRows(x: tf.Tensor2D, index: tf.Tensor1D, inverse: tf.Tensor1D): tf.Tensor2D {
  const permute = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    save([inverse]);
    return {
      value: tf.gather(input, index), // [N, D]
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.gather(dy as tf.Tensor, saved[0]), // [N, D]
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return permute(x) as tf.Tensor2D;
}
