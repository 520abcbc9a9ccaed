import * as tf from '@tensorflow/tfjs-core';

/**
 * Most negative finite float32. Added to masked entries before a max, so they
 * never win unless the whole row is masked (which callers then zero). Adding it
 * to any value of magnitude below ~1e31 gives exactly this value again, and a
 * finite value (not -Infinity) keeps every intermediate and gradient finite.
 */
export const MIN_FLOAT32 = -3.4028234663852886e38;

/** A mask of any dtype as bool: non-zero (or `true`) = keep. */
export function toBoolMask(mask: tf.Tensor): tf.Tensor {
  return mask.dtype === 'bool' ? mask : tf.notEqual(mask, tf.scalar(0, mask.dtype));
}

/** A mask of any dtype as float32 0/1. */
export function toFloatMask(mask: tf.Tensor): tf.Tensor {
  return mask.dtype === 'float32' ? mask : tf.cast(toBoolMask(mask), 'float32');
}

/** Resolves a possibly negative axis against a rank; throws an error naming the op otherwise. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const resolved = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(resolved) || resolved < 0 || resolved >= rank) {
    throw new Error(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return resolved;
}

/**
 * Brings a mask to the rank of `x` as a float32 0/1 tensor that broadcasts against it.
 *
 * - `mask.rank === x.rank`: used as is (each dim equal to x's or 1).
 * - `mask.rank === x.rank - 1` and `allowFeatureAxis`: the mask covers every axis of
 *   `x` but the trailing feature axis (`x [B, N, D]`, `mask [B, N]`), so a trailing
 *   axis of size 1 is added.
 *
 * The mask is never tiled to the full shape of `x`: masked ops combine it with
 * broadcasting arithmetic, which every backend does without materialising a
 * copy (`tf.where` would first `Tile` all three operands, ~20x slower on wasm).
 */
export function alignMask(op: string, x: tf.Tensor, mask: tf.Tensor, allowFeatureAxis: boolean): tf.Tensor {
  let aligned = mask;
  if (allowFeatureAxis && mask.rank === x.rank - 1) aligned = tf.expandDims(mask, -1); // [..., N, 1]
  const fits =
    aligned.rank === x.rank && aligned.shape.every((size, i) => size === x.shape[i] || size === 1);
  if (!fits) {
    const expected = allowFeatureAxis
      ? `[${x.shape.slice(0, -1).join(', ')}] or a shape broadcastable to [${x.shape.join(', ')}]`
      : `a shape broadcastable to [${x.shape.join(', ')}] of the same rank`;
    throw new Error(`${op}: mask shape [${mask.shape.join(', ')}] does not fit input shape [${x.shape.join(', ')}]; expected ${expected}`);
  }
  return toFloatMask(aligned);
}
