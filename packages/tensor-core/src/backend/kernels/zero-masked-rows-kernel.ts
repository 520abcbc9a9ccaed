/**
 * `SpanrelZeroMaskedRows`, for the wasm and cpu backends: `x [..., D]` with
 * the rows that `mask [...]` drops set to +0. It replaces a `where` over the
 * mask broadcast to `x`'s shape (a `Tile` of a bool tensor to `[B, S, D]` and
 * a three-input `Select` of that size, ~10x the time of a copy), with one copy
 * and a fill per dropped row. Its gradient is the same kernel applied to `dy`.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../kernel-registry.js';
import type { ValueStore, Values } from './value-store.js';

export const ZERO_MASKED_ROWS = 'SpanrelZeroMaskedRows';

/** out = x with `out[row, :] = 0` wherever `mask[row] == 0`; `x` has `mask.length` rows of `dim` values. */
export function zeroMaskedRowsInto(x: Values, mask: Values, dim: number, out: Values): void {
  out.set(x);
  for (let row = 0; row < mask.length; row++) if (mask[row] === 0) out.fill(0, row * dim, (row + 1) * dim);
}

/** The kernel for one backend, given access to its storage. Inputs `{x, mask}`, `mask.shape` = `x.shape` without its last axis. */
export function zeroMaskedRowsKernel(storeOf: (backend: tf.KernelBackend) => ValueStore) {
  return ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const { x, mask } = inputs as { x: tf.TensorInfo; mask: tf.TensorInfo };
    const rowShape = x.shape.slice(0, -1);
    if (x.shape.length < 1 || mask.shape.length !== rowShape.length || mask.shape.some((n, i) => n !== rowShape[i])) {
      throw new Error(`${ZERO_MASKED_ROWS}: mask must have x's shape without its last axis; got x [${x.shape.join(', ')}], mask [${mask.shape.join(', ')}]`);
    }
    const store = storeOf(backend);
    const out = store.allocate(x.shape.slice(), x.dtype);
    // Views after the allocation: on wasm it may grow (and move) the heap.
    zeroMaskedRowsInto(store.values(x), store.values(mask), x.shape[x.shape.length - 1] ?? 1, store.values(out));
    return out;
  };
}
