import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../init/rng.js';
import { dropout } from '../../ops/dropout.js';
import { maskedSoftmax } from '../../ops/masked-softmax.js';
import { toFloatMask } from '../../ops/mask-utils.js';

/**
 * Checks the shapes of an attention call and brings the key mask to `[B, Tq|1, Tk]` float32.
 * A missing mask (null) means every key.
 */
export function prepareAttentionInputs(
  kind: string,
  dims: { queryDim: number; keyDim: number; valueDim: number },
  query: tf.Tensor3D,
  key: tf.Tensor3D,
  value: tf.Tensor3D,
  keyMask: tf.Tensor | null,
): tf.Tensor3D {
  const shape = (t: tf.Tensor) => `[${t.shape.join(', ')}]`;
  if (query.rank !== 3 || query.shape[2] !== dims.queryDim) {
    throw new Error(`${kind}: query must be [B, Tq, queryDim=${dims.queryDim}], got ${shape(query)}`);
  }
  const [batchSize, queryLen] = query.shape; // B, Tq
  if (key.rank !== 3 || key.shape[0] !== batchSize || key.shape[2] !== dims.keyDim) {
    throw new Error(`${kind}: key must be [B=${batchSize}, Tk, keyDim=${dims.keyDim}], got ${shape(key)}`);
  }
  const keyLen = key.shape[1]; // Tk
  if (value.rank !== 3 || value.shape[0] !== batchSize || value.shape[1] !== keyLen || value.shape[2] !== dims.valueDim) {
    throw new Error(`${kind}: value must be [B=${batchSize}, Tk=${keyLen}, valueDim=${dims.valueDim}], got ${shape(value)}`);
  }
  if (keyMask === null) return tf.ones([batchSize, 1, keyLen]) as tf.Tensor3D; // [B, 1, Tk]
  if (keyMask.rank === 2 && keyMask.shape[0] === batchSize && keyMask.shape[1] === keyLen) {
    return tf.tidy(() => tf.expandDims(toFloatMask(keyMask), 1) as tf.Tensor3D); // [B, 1, Tk]
  }
  if (keyMask.rank === 3 && keyMask.shape[0] === batchSize && keyMask.shape[1] === queryLen && keyMask.shape[2] === keyLen) {
    return tf.tidy(() => tf.clone(toFloatMask(keyMask)) as tf.Tensor3D); // [B, Tq, Tk]
  }
  throw new Error(`${kind}: keyMask must be [B=${batchSize}, Tk=${keyLen}] or [B, Tq=${queryLen}, Tk], got ${shape(keyMask)}`);
}

/**
 * The step every variant shares once it has scores: masked softmax over the keys,
 * dropout on the weights, weighted sum of the values.
 *
 * @param scores `[B, (H,) Tq, Tk]`
 * @param mask float `[B, (1,) Tq|1, Tk]`, same rank as `scores`
 * @param values `[B, (H,) Tk, Dv]`
 * @returns `[B, (H,) Tq, Dv]`; 0 rows for queries with no unmasked key
 */
export function attendOverValues(
  scores: tf.Tensor,
  mask: tf.Tensor,
  values: tf.Tensor,
  dropoutRate: number,
  rng: Rng,
  training: boolean,
): tf.Tensor {
  return tf.tidy(() => {
    const weights = maskedSoftmax(scores, mask, -1); // [B, (H,) Tq, Tk] rows sum to 1 or 0
    const dropped = dropout(weights, dropoutRate, rng, training); // [B, (H,) Tq, Tk]
    return tf.matMul(dropped, values); // [B, (H,) Tq, Dv]
  });
}

/**
 * `[B, Tq, 1]` float: 1 where the query has at least one unmasked key. Multiplying
 * an output by it makes a query with no key give the 0 vector even after a
 * projection with a bias.
 *
 * @param mask float `[B, Tq|1, Tk]`
 * @param queryLen Tq
 */
export function queryHasKey(mask: tf.Tensor3D, queryLen: number): tf.Tensor3D {
  return tf.tidy(() => {
    const any = tf.cast(tf.greater(tf.max(mask, -1, true), 0), 'float32'); // [B, Tq|1, 1]
    return tf.broadcastTo(any, [mask.shape[0], queryLen, 1]) as tf.Tensor3D; // [B, Tq, 1]
  });
}
