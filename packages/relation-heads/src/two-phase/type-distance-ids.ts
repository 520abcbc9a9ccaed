import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from '@spanrel/tensor-core';

/**
 * Rows of the type x type x distance table `C = Ω ⊗ Ω ⊗ Δ` (two-phase model,
 * section 3.3.2, Eq. 13) for each pair: with `c1`, `c2` the entity classes of its
 * two spans and `d` its distance,
 * `row = (c1 · (numEntityTypes + 1) + c2) · (maxDistance + 1) + d`.
 *
 * Classes count `none` as 0 (as `PairBatch.spanLabels`), so the table has
 * `(numEntityTypes + 1)² (maxDistance + 1)` rows; the rows with a `none`
 * argument are unused when every span is an entity (the paper's `Ω ⊗ Ω ⊗ Δ`).
 *
 * @param spanLabels int32 `[B, K]` entity class of each span in `[0, numEntityTypes]`
 * @param pairs int32 `[B, P, 2]` span indices in `[0, K)`
 * @param distance int32 `[B, P]` in `[0, maxDistance]` (see `pairDistance`)
 * @returns int32 `[B, P]` in `[0, (numEntityTypes + 1)² (maxDistance + 1))`
 */
export function typeDistanceIds(spanLabels: tf.Tensor2D, pairs: tf.Tensor3D, distance: tf.Tensor2D, numEntityTypes: number, maxDistance: number): tf.Tensor2D {
  if (spanLabels.dtype !== 'int32' || spanLabels.rank !== 2) throw new Error(`typeDistanceIds: spanLabels must be int32 [B, K], got ${spanLabels.dtype} [${spanLabels.shape.join(', ')}]`);
  if (pairs.dtype !== 'int32' || pairs.rank !== 3 || pairs.shape[0] !== spanLabels.shape[0] || pairs.shape[2] !== 2) {
    throw new Error(`typeDistanceIds: pairs must be int32 [B=${spanLabels.shape[0]}, P, 2], got ${pairs.dtype} [${pairs.shape.join(', ')}]`);
  }
  if (distance.dtype !== 'int32' || distance.rank !== 2 || distance.shape[0] !== pairs.shape[0] || distance.shape[1] !== pairs.shape[1]) {
    throw new Error(`typeDistanceIds: distance must be int32 [B=${pairs.shape[0]}, P=${pairs.shape[1]}], got ${distance.dtype} [${distance.shape.join(', ')}]`);
  }
  return tf.tidy(() => {
    const classes = batchedIndexSelect(spanLabels, pairs); // [B, P, 2] (c1, c2)
    const [first, second] = tf.unstack(classes, 2); // [B, P] each
    const typePair = tf.add(tf.mul(first, tf.scalar(numEntityTypes + 1, 'int32')), second); // [B, P]
    return tf.add(tf.mul(typePair, tf.scalar(maxDistance + 1, 'int32')), distance) as tf.Tensor2D; // [B, P]
  });
}
