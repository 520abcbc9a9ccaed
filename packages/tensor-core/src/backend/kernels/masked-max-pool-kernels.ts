/**
 * `SpanrelMaskedMaxPool` (rows given by a mask), `SpanrelRangeMaxPool` (rows
 * given by word ranges) and their gradient kernels, for the wasm and cpu
 * backends: the max over the words each row keeps, read straight from
 * `x [B, T, D]`.
 *
 * What they replace: pooling a span or a relation context used to gather or
 * broadcast the word states into `[B, N, W, D]` / `[B, P, T, D]`, add a
 * penalty to the masked entries, reduce, and in backprop compare the whole
 * block with the maxima again. For SpERT's relation contexts at decoding
 * (P up to ~1,000 pairs of a sentence) that block is hundreds of MB and the
 * `Max` over it was half of the dev evaluation. Here only the kept words of
 * each row are visited: O(B N T) for the mask plus O(kept x D).
 *
 * Semantics (those of `maskedMax(broadcast(x), mask, 2)`, bit for bit in the
 * forward pass): a row that keeps no word gives 0 and no gradient; every kept
 * position equal to the maximum receives the full upstream gradient (ties).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { KernelArgs } from '../kernel-registry.js';
import type { ValueStore, Values } from './value-store.js';

/** Kernel names (registered by `patchWasmForTraining` / `patchCpuForTraining`). */
export const MASKED_MAX_POOL = 'SpanrelMaskedMaxPool';
export const MASKED_MAX_POOL_GRAD = 'SpanrelMaskedMaxPoolGrad';
export const RANGE_MAX_POOL = 'SpanrelRangeMaxPool';
export const RANGE_MAX_POOL_GRAD = 'SpanrelRangeMaxPoolGrad';

/**
 * Which words each row keeps: a `[B, N, T]` mask (non-zero = keep), or
 * `[B, N, 2]` int32 ranges `[start, end)` of which at most the first
 * `maxWidth` words count (`maxWidth` 0: all; positions outside `[0, T)` never).
 */
export type KeptWords = { mask: Values } | { ranges: Values; maxWidth: number };

/** The positions kept by row `row` (= b * N + n), written into `kept`; returns how many. */
function keptPositions(words: KeptWords, row: number, seqLen: number, kept: Int32Array): number {
  let count = 0;
  if ('mask' in words) {
    const offset = row * seqLen;
    for (let t = 0; t < seqLen; t++) if (words.mask[offset + t] !== 0) kept[count++] = t;
    return count;
  }
  const start = words.ranges[2 * row];
  let end = Math.min(words.ranges[2 * row + 1], seqLen);
  if (words.maxWidth > 0) end = Math.min(end, start + words.maxWidth);
  for (let t = Math.max(start, 0); t < end; t++) kept[count++] = t;
  return count;
}

/**
 * out[b, n, :] = max over kept t of x[b, t, :] (0 when none is kept).
 *
 * @param x `[B, T, D]` row-major
 * @param words the kept words of each of the `B x N` rows
 * @param out `[B, N, D]`
 */
export function maskedMaxPoolInto(x: Values, words: KeptWords, [batch, rows, seqLen, dim]: number[], out: Values): void {
  const kept = new Int32Array(seqLen);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < rows; n++) {
      const row = b * rows + n;
      const o = row * dim;
      const count = keptPositions(words, row, seqLen, kept);
      if (count === 0) {
        out.fill(0, o, o + dim);
        continue;
      }
      out.set(x.subarray((b * seqLen + kept[0]) * dim, (b * seqLen + kept[0] + 1) * dim), o);
      for (let k = 1; k < count; k++) {
        const xo = (b * seqLen + kept[k]) * dim;
        for (let d = 0; d < dim; d++) if (x[xo + d] > out[o + d]) out[o + d] = x[xo + d];
      }
    }
  }
}

/**
 * dx[b, t, :] += dy[b, n, :] wherever t is kept by row n and x[b, t, d] equals
 * the row's maximum y[b, n, d]. `dx` must start at 0.
 */
export function maskedMaxPoolGradInto(
  dy: Values,
  x: Values,
  words: KeptWords,
  y: Values,
  [batch, rows, seqLen, dim]: number[],
  dx: Values,
): void {
  const kept = new Int32Array(seqLen);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < rows; n++) {
      const row = b * rows + n;
      const o = row * dim;
      const count = keptPositions(words, row, seqLen, kept);
      for (let k = 0; k < count; k++) {
        const xo = (b * seqLen + kept[k]) * dim;
        for (let d = 0; d < dim; d++) if (x[xo + d] === y[o + d]) dx[xo + d] += dy[o + d];
      }
    }
  }
}

/** `[B, N, T, D]` from the kernel's inputs, checked: `x [B, T, D]` with `mask [B, N, T]` or int32 `ranges [B, N, 2]`. */
function poolDims(kernel: string, x: tf.TensorInfo, rows: tf.TensorInfo, isMask: boolean): number[] {
  const [batch, seqLen, dim] = x.shape;
  const ok =
    x.shape.length === 3 &&
    rows.shape.length === 3 &&
    rows.shape[0] === batch &&
    (isMask ? rows.shape[2] === seqLen : rows.shape[2] === 2 && rows.dtype === 'int32');
  if (!ok) {
    const want = isMask ? 'mask [B, N, T]' : 'int32 ranges [B, N, 2]';
    throw new Error(`${kernel}: needs x [B, T, D] and ${want}; got x [${x.shape.join(', ')}], ${rows.dtype} [${rows.shape.join(', ')}]`);
  }
  return [batch, rows.shape[1], seqLen, dim];
}

/**
 * The four kernels for one backend, given access to its storage. Inputs:
 * `{x, mask}` or `{x, ranges}` (attribute `maxWidth`, 0 = none); the
 * gradient kernels also take `dy` and the forward output `y`.
 */
export function maskedMaxPoolKernels(storeOf: (backend: tf.KernelBackend) => ValueStore) {
  /** The inputs by name; a kernel gets `mask` or `ranges`, never both, and `dy`, `y` only for the gradient. */
  type Inputs = Record<'x' | 'mask' | 'ranges' | 'dy' | 'y', tf.TensorInfo>;
  const make = (kernel: string, isMask: boolean) => {
    const rowsOf = (inputs: Inputs) => (isMask ? inputs.mask : inputs.ranges);
    const keptWords = (store: ValueStore, rows: tf.TensorInfo, attrs: tf.NamedAttrMap | undefined): KeptWords =>
      isMask ? { mask: store.values(rows) } : { ranges: store.values(rows), maxWidth: Number(attrs?.maxWidth ?? 0) };
    const forward = ({ inputs: named, backend, attrs }: KernelArgs): tf.TensorInfo => {
      const inputs = named as unknown as Inputs;
      const { x } = inputs;
      const rows = rowsOf(inputs);
      const dims = poolDims(kernel, x, rows, isMask);
      const store = storeOf(backend);
      const out = store.allocate([dims[0], dims[1], dims[3]], 'float32');
      // Views after the allocation: on wasm it may grow (and move) the heap.
      maskedMaxPoolInto(store.values(x), keptWords(store, rows, attrs), dims, store.values(out));
      return out;
    };
    const gradient = ({ inputs: named, backend, attrs }: KernelArgs): tf.TensorInfo => {
      const inputs = named as unknown as Inputs;
      const { x, dy, y } = inputs;
      const rows = rowsOf(inputs);
      const dims = poolDims(`${kernel}Grad`, x, rows, isMask);
      const store = storeOf(backend);
      const dx = store.allocate(x.shape.slice(), 'float32');
      const dxValues = store.values(dx);
      dxValues.fill(0);
      maskedMaxPoolGradInto(store.values(dy), store.values(x), keptWords(store, rows, attrs), store.values(y), dims, dxValues);
      return dx;
    };
    return [forward, gradient] as const;
  };
  const [maskForward, maskGradient] = make(MASKED_MAX_POOL, true);
  const [rangeForward, rangeGradient] = make(RANGE_MAX_POOL, false);
  return {
    [MASKED_MAX_POOL]: maskForward,
    [MASKED_MAX_POOL_GRAD]: maskGradient,
    [RANGE_MAX_POOL]: rangeForward,
    [RANGE_MAX_POOL_GRAD]: rangeGradient,
  };
}
