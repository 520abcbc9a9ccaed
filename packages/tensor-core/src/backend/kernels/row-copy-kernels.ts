/**
 * `Slice`, `Unpack` (`tf.unstack`), `SplitV` (`tf.split`), `StridedSlice`
 * (unit strides) and `GatherV2` (`tf.gather`) as copies of contiguous
 * last-axis runs with `TypedArray.set`, for the wasm and cpu backends.
 *
 * What they replace:
 *  - wasm `Slice` starts with `backend.readSync(x)`, which copies the *whole*
 *    input out of the heap before copying the requested part: slicing one time
 *    step out of [T, B, 4H] costs T times too much and `tf.unstack` of a
 *    sequence is O(T^2) (35 ms for a [30, 8, 800] tensor; 1.7 ms here);
 *  - cpu `Slice` moves a non-contiguous box element by element through
 *    `TensorBuffer.get/set` (~1 us per element: 5 ms to take [8, 600] out of
 *    [8, 800], 17 ms per 3-way split in an LSTM step);
 *  - `GatherV2` walks the output element by element (wasm C++ and cpu alike:
 *    13-16 ms to gather 240 rows of 400 floats; ~0.3 ms here);
 *  - `Tile` (also `tf.broadcastTo`) computes every output index in a loop
 *    (wasm C++; cpu through `TensorBuffer`): SpERT's relation context,
 *    `broadcastTo([B, 1, T, D] -> [B, pairs, T, D])`, takes ~2.5 ms a call on
 *    wasm; here each input row is copied once and every repeat is one
 *    `copyWithin` of a whole block.
 * The stock `Unpack`, `SplitV` and `StridedSlice` call their own module's
 * `slice` directly, so they are re-registered around the new one. String
 * tensors go to the stock kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { callStockKernel, type KernelArgs, type KernelFunc } from '../kernel-registry.js';
import type { ValueStore, Values } from './value-store.js';

/**
 * Copies the box `[begin, begin + size)` of `x` (row-major, `shape`) into
 * `out`, one contiguous last-axis run at a time.
 */
export function copyBox(x: Values, shape: number[], begin: number[], size: number[], out: Values): void {
  const rank = shape.length;
  if (rank === 0) {
    out.set(x);
    return;
  }
  const strides = tf.util.computeStrides(shape);
  const run = size[rank - 1];
  const outer = size.slice(0, rank - 1);
  const count = tf.util.sizeFromShape(outer);
  const index = new Array(rank - 1).fill(0); // position inside the box, outer axes
  for (let r = 0; r < count; r++) {
    let src = begin[rank - 1];
    for (let d = 0; d < rank - 1; d++) src += (begin[d] + index[d]) * strides[d];
    if (run === 1) out[r] = x[src];
    else out.set(x.subarray(src, src + run), r * run);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < outer[d]) break;
      index[d] = 0;
    }
  }
}

/**
 * `tf.tile`: writes `x` (row-major, `shape`) tiled `reps` times into `out`.
 * Along axis d the output is `reps[d]` consecutive copies of the block built
 * for the axes after d, so each block is built once and then copied whole.
 */
export function tileInto(x: Values, shape: number[], reps: number[], out: Values): void {
  const rank = shape.length;
  if (rank === 0) {
    out.set(x);
    return;
  }
  const xStrides = [...tf.util.computeStrides(shape), 1];
  const outShape = shape.map((s, d) => s * reps[d]);
  const outStrides = [...tf.util.computeStrides(outShape), 1];
  const fill = (d: number, xOff: number, outOff: number): void => {
    const n = shape[d];
    if (d === rank - 1) {
      const row = x.subarray(xOff, xOff + n);
      out.set(row, outOff);
    } else {
      for (let i = 0; i < n; i++) fill(d + 1, xOff + i * xStrides[d], outOff + i * outStrides[d]);
    }
    const block = n * outStrides[d]; // one copy of the input along axis d, with the later axes already tiled
    repeatBlock(out, outOff, block, reps[d]);
  };
  fill(0, 0, 0);
}

/**
 * Repeats `out[offset, offset + block)` so that it fills `reps` consecutive
 * blocks, doubling the copied stretch each time: O(log reps) copies, so that
 * a tiny block repeated many times (a `[B, N, 1]` mask broadcast to
 * `[B, N, 825]`: one element, 825 times) costs a few calls, not one per copy.
 */
function repeatBlock(out: Values, offset: number, block: number, reps: number): void {
  const total = block * reps;
  for (let filled = block; filled < total; ) {
    const n = Math.min(filled, total - filled);
    out.copyWithin(offset + filled, offset, offset + n);
    filled += n;
  }
}

/** The six kernels for one backend, given access to its storage. */
export function rowCopyKernels(backendName: 'wasm' | 'cpu', storeOf: (backend: tf.KernelBackend) => ValueStore) {
  const stock = (name: string, args: KernelArgs) => callStockKernel(name, backendName, args.backend, args.inputs, args.attrs);

  const slice = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string') return stock('Slice', args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [begin_, size_] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
    const store = storeOf(args.backend);
    const out = store.allocate(size_, x.dtype);
    if (tf.util.sizeFromShape(size_) === 0) return out;
    copyBox(store.values(x), x.shape, begin_, size_, store.values(out));
    return out;
  };

  const unpack = (args: KernelArgs): tf.TensorInfo[] => {
    const { value } = args.inputs as { value: tf.TensorInfo };
    const rank = value.shape.length;
    let { axis } = args.attrs as { axis: number };
    if (axis < 0) axis += rank;
    const outShape = value.shape.filter((_, d) => d !== axis);
    const size = value.shape.slice();
    size[axis] = 1;
    return Array.from({ length: value.shape[axis] }, (_, i) => {
      const begin = new Array(rank).fill(0);
      begin[axis] = i;
      const part = slice({ inputs: { x: value }, backend: args.backend, attrs: { begin, size } });
      return { dataId: part.dataId, dtype: part.dtype, shape: outShape };
    });
  };

  const splitV = (args: KernelArgs): tf.TensorInfo[] => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const { numOrSizeSplits, axis } = args.attrs as { numOrSizeSplits: number | number[]; axis: number };
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0];
    const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, $axis);
    let offset = 0;
    return sizes.map((s) => {
      const begin = new Array(x.shape.length).fill(0);
      begin[$axis] = offset;
      const size = x.shape.slice();
      size[$axis] = s;
      offset += s;
      return slice({ inputs: { x }, backend: args.backend, attrs: { begin, size } });
    });
  };

  const stridedSlice = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    const a = args.attrs as {
      begin: number[];
      end: number[];
      strides: number[];
      beginMask: number;
      endMask: number;
      ellipsisMask: number;
      newAxisMask: number;
      shrinkAxisMask: number;
    };
    const info = tf.slice_util.sliceInfo(x.shape, a.begin, a.end, a.strides, a.beginMask, a.endMask, a.ellipsisMask, a.newAxisMask, a.shrinkAxisMask);
    if (x.dtype === 'string' || info.isIdentity || !(info.sliceDim0 || info.isSimpleSlice)) return stock('StridedSlice', args);
    const size = tf.slice_util.computeOutShape(info.begin, info.end, info.strides);
    const sliced = slice({ inputs: { x }, backend: args.backend, attrs: { begin: info.begin, size } });
    const result = callStockKernel('Reshape', backendName, args.backend, { x: sliced }, { shape: info.finalShape });
    storeOf(args.backend).release(sliced);
    return result;
  };

  const gatherV2 = (args: KernelArgs): tf.TensorInfo => {
    const { x, indices } = args.inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    if (x.dtype === 'string') return stock('GatherV2', args);
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0];
    const { batchSize, outerSize, dimSize, sliceSize, outputShape } = tf.backend_util.segment_util.collectGatherOpShapeInfo(
      x as unknown as tf.Tensor,
      indices as unknown as tf.Tensor,
      parsedAxis,
      batchDims,
    );
    const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize; // indices per batch entry
    const store = storeOf(args.backend);
    const out = store.allocate(outputShape, x.dtype);
    const [xValues, ids, outValues] = [store.values(x), store.values(indices), store.values(out)];
    for (let k = 0; k < ids.length; k++) {
      if (ids[k] < 0 || ids[k] >= dimSize) {
        store.release(out);
        throw new Error(`GatherV2: the index value ${ids[k]} is not in [0, ${dimSize - 1}]`);
      }
    }
    let dst = 0;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const base = (b * outerSize + o) * dimSize;
        for (let k = 0; k < perBatch; k++) {
          const src = (base + ids[b * perBatch + k]) * sliceSize;
          if (sliceSize === 1) outValues[dst] = xValues[src];
          else outValues.set(xValues.subarray(src, src + sliceSize), dst);
          dst += sliceSize;
        }
      }
    }
    return out;
  };

  const tile = (args: KernelArgs): tf.TensorInfo => {
    const { x } = args.inputs as { x: tf.TensorInfo };
    // Bool (masks; small) stays with the stock kernels: the cpu backend's bool storage is not what `allocate` hands out.
    if (x.dtype === 'string' || x.dtype === 'bool') return stock('Tile', args);
    const { reps } = args.attrs as { reps: number[] };
    const store = storeOf(args.backend);
    const out = store.allocate(x.shape.map((s, d) => s * reps[d]), x.dtype);
    if (tf.util.sizeFromShape(out.shape) === 0) return out;
    tileInto(store.values(x), x.shape, reps, store.values(out));
    return out;
  };

  const kernels: Record<string, KernelFunc> = { Slice: slice, Unpack: unpack, SplitV: splitV, StridedSlice: stridedSlice, GatherV2: gatherV2, Tile: tile };
  return kernels;
}
