/**
 * Helpers for the backend tests (not exported from the package): seeded
 * random inputs as plain arrays, so the same numbers can be turned into
 * tensors on every backend, and a max-abs-difference check.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/index.js';

/** `size` uniform values in [-1, 1) from a seeded generator. */
export function randomValues(size: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.next() * 2 - 1;
  return out;
}

/** A float32 tensor of `shape` with seeded values, on the active backend. */
export function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(randomValues(tf.util.sizeFromShape(shape), seed), shape);
}

/** Largest |a - b| over two equally long arrays (Infinity if the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** A tensor's values and shape as plain JS, for comparing across backends. */
export interface Snapshot {
  shape: number[];
  values: Float32Array;
}

export function snapshot(t: tf.Tensor): Snapshot {
  return { shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as ArrayLike<number>) };
}

/** Runs `f` in a tidy scope and returns its result tensor(s) as snapshots, disposing them. */
export function snapshotsOf(f: () => tf.Tensor | tf.Tensor[]): Snapshot[] {
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const snaps = list.map(snapshot);
  tf.dispose(list);
  return snaps;
}

/** An int32 tensor of `shape` with seeded integers in `[low, high)`. */
export function intTensor(shape: number[], low: number, high: number, seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(Array.from({ length: tf.util.sizeFromShape(shape) }, () => low + rng.int(high - low)), shape, 'int32');
}

/**
 * Cases for the row-copy kernels (Slice, Unpack, SplitV, StridedSlice,
 * GatherV2) on odd shapes: each returns its outputs as snapshots, to be run
 * on a stock backend and a patched one and compared exactly.
 */
export function rowCopyCases(): Record<string, () => Snapshot[]> {
  return {
    'slice 3-D, non-contiguous': () => snapshotsOf(() => tf.slice(randomTensor([4, 5, 6], 800), [1, 2, 3], [2, 3, 2])),
    'slice 5-D, non-contiguous': () => snapshotsOf(() => tf.slice(randomTensor([2, 3, 2, 3, 4], 801), [1, 0, 1, 1, 1], [1, 3, 1, 2, 2])),
    'slice int32, contiguous rows': () => snapshotsOf(() => tf.slice(intTensor([6, 4], -9, 9, 802), [2, 0], [3, 4])),
    'slice to an empty box': () => snapshotsOf(() => tf.slice(randomTensor([3, 4], 803), [1, 1], [0, 2])),
    'slice a column (runs of one)': () => snapshotsOf(() => tf.slice(randomTensor([5, 4], 817), [0, 2], [5, 1])),
    'unstack along axis 1': () => snapshotsOf(() => tf.unstack(randomTensor([3, 4, 2], 804), 1)),
    'split into uneven parts along axis 2': () => snapshotsOf(() => tf.split(randomTensor([2, 3, 7], 805), [2, 4, 1], 2)),
    'stridedSlice, unit strides': () => snapshotsOf(() => tf.stridedSlice(randomTensor([5, 6], 806), [1, 2], [4, 5], [1, 1])),
    'stridedSlice, stride 2 (stock path)': () => snapshotsOf(() => tf.stridedSlice(randomTensor([5, 6], 807), [0, 1], [5, 6], [2, 2])),
    'stridedSlice, shrink axis': () =>
      snapshotsOf(() => tf.stridedSlice(randomTensor([4, 3, 2], 808), [1, 0, 0], [2, 3, 2], [1, 1, 1], 0, 0, 0, 0, 1)),
    'gather rows': () => snapshotsOf(() => tf.gather(randomTensor([9, 5], 809), intTensor([7], 0, 9, 810))),
    'gather last axis (single values)': () => snapshotsOf(() => tf.gather(randomTensor([3, 4, 6], 811), intTensor([2, 5], 0, 6, 812), 2)),
    'gather batchDims 1': () => snapshotsOf(() => tf.gather(randomTensor([3, 5, 4], 813), intTensor([3, 2], 0, 5, 814), 1, 1)),
    'gather int32 values': () => snapshotsOf(() => tf.gather(intTensor([6, 3], -5, 5, 815), intTensor([4], 0, 6, 816))),
    'tile: broadcastTo [B, 1, T, D] -> [B, P, T, D] (SpERT context)': () =>
      snapshotsOf(() => tf.broadcastTo(randomTensor([2, 1, 5, 3], 818), [2, 7, 5, 3])),
    'tile every axis, odd reps': () => snapshotsOf(() => tf.tile(randomTensor([2, 3, 4], 819), [3, 1, 2])),
    'tile 1-D and 2-D with a rep of 1 on the last axis': () => [
      ...snapshotsOf(() => tf.tile(randomTensor([5], 820), [4])),
      ...snapshotsOf(() => tf.tile(randomTensor([3, 2], 821), [2, 1])),
    ],
    'tile int32 and bool': () => [
      ...snapshotsOf(() => tf.tile(intTensor([2, 3], -9, 9, 822), [2, 2])),
      ...snapshotsOf(() => tf.cast(tf.tile(tf.tensor2d([[1, 0, 1]], [1, 3], 'bool'), [3, 2]), 'int32')),
    ],
    'tile a last axis of 1 many times (a row mask broadcast to features), and odd block counts': () => [
      ...snapshotsOf(() => tf.cast(tf.broadcastTo(tf.tensor3d([[[1], [0], [1]]], [1, 3, 1], 'bool'), [1, 3, 825]), 'int32')),
      ...snapshotsOf(() => tf.tile(randomTensor([2, 1, 3], 826), [1, 13, 7])),
    ],
    'tile with a zero rep (empty output)': () => snapshotsOf(() => tf.tile(randomTensor([2, 3], 823), [0, 2])),
    'tile gradient (sum over the repeats)': () =>
      snapshotsOf(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.tile(x, [2, 3]), randomTensor([6, 6], 825))))(randomTensor([3, 2], 824))),
  };
}
