import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from './batched-index-select.js';

/** The representations of the two arguments of every pair. */
export interface PairSelection {
  /** `[B, P, D]` representation of the first span of each pair. */
  head: tf.Tensor3D;
  /** `[B, P, D]` representation of the second span of each pair. */
  tail: tf.Tensor3D;
}

/**
 * Looks up both arguments of each relation candidate: `head[b, p] = spanReps[b, pairs[b, p, 0]]`,
 * `tail[b, p] = spanReps[b, pairs[b, p, 1]]`, in one batched gather.
 * Padding pairs should point at a valid span (e.g. `(0, 0)`) and be masked by the caller.
 *
 * ```ts
 * const reps = tf.tensor3d([[[1], [2], [3]]]);                       // [B=1, S=3, D=1]
 * const pairs = tf.tensor3d([[[0, 2], [2, 1]]], undefined, 'int32'); // [B, P=2, 2]
 * const { head, tail } = pairGather(reps, pairs);                    // head [[[1], [3]]], tail [[[3], [2]]]
 * ```
 *
 * @param spanReps `[B, S, D]`
 * @param pairs int32 `[B, P, 2]` span indices in `[0, S)`
 */
export function pairGather(spanReps: tf.Tensor3D, pairs: tf.Tensor3D): PairSelection {
  if (pairs.rank !== 3 || pairs.shape[2] !== 2) {
    throw new Error(`pairGather: pairs must be [B, P, 2], got shape [${pairs.shape.join(', ')}]`);
  }
  if (spanReps.rank !== 3) throw new Error(`pairGather: spanReps must be [B, S, D], got shape [${spanReps.shape.join(', ')}]`);
  const [batchSize, numPairs] = pairs.shape; // B, P
  const dim = spanReps.shape[2]; // D
  return tf.tidy(() => {
    const both = batchedIndexSelect(spanReps, pairs); // [B, P, 2, D]
    const head = tf.reshape(tf.slice(both, [0, 0, 0, 0], [-1, -1, 1, -1]), [batchSize, numPairs, dim]) as tf.Tensor3D; // [B, P, D]
    const tail = tf.reshape(tf.slice(both, [0, 0, 1, 0], [-1, -1, 1, -1]), [batchSize, numPairs, dim]) as tf.Tensor3D; // [B, P, D]
    return { head, tail };
  });
}
