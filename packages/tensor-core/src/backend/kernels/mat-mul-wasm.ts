/**
 * `BatchMatMul` and `_FusedMatMul` for the wasm backend that keep to its fast
 * (XNNPACK) code path.
 *
 * The stock wasm kernel is fast only for one plain `[1, M, K] @ [1, K, N]`
 * product; anything else runs a scalar triple loop:
 *  - with `transposeA` / `transposeB` set it is 8-20x slower than transposing
 *    the operand explicitly first (measured: [240,250]x[250,800] 6.9 ms plain,
 *    80 ms with transposeA, 5.6 ms as transpose + plain). Every matMul
 *    gradient uses those flags, and so do attention scores `q @ k^T`;
 *  - with a batch of more than one product (attention heads, STSN's
 *    span-token layers) it runs at 0.3-2.5 GFLOP/s against 15-35 for the
 *    XNNPACK path: 8-14 % of a spert / stsn / ji2020 training step.
 * These wrappers transpose flagged operands with the wasm `Transpose` kernel,
 * then run each product of a batch through the XNNPACK path on views of the
 * operands' heap memory (no copies), the whole batch as one product when `b`
 * is shared by every item, and outer products (K = 1) as a `Multiply`.
 * Large 2-D products go to the native runtime installed with
 * `setMatMulRuntime` (`../mat-mul-runtime.ts`: onnxruntime-node, several
 * times XNNPACK's rate) when there is one.
 * Those four are fused kernels: `setFusedKernels(false)` keeps the stock
 * loop for them, so the two paths can be compared in one process.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { callKernel, callStockKernel, type KernelArgs } from '../kernel-registry.js';
import { fusedKernelsEnabled } from '../fused-kernels.js';
import { matMulRuntime, multiplyOnRuntime, MIN_RUNTIME_INNER_DIM, MIN_RUNTIME_MULTIPLY_ADDS } from '../mat-mul-runtime.js';
import { wasmStore } from './value-store.js';

/** Swaps the last two axes of a wasm tensor (caller disposes the result). */
function transposeLastTwo(wasm: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return callStockKernel('Transpose', 'wasm', wasm, { x }, { perm });
}

/** The C++ entry point the stock kernel calls: `(aId, aShape, aRank, bId, bShape, bRank, transposeA, transposeB, outId)`. */
type WasmBatchMatMul = (aId: number, aShape: Uint8Array, aRank: number, bId: number, bShape: Uint8Array, bRank: number, ta: number, tb: number, outId: number) => void;

/** What this file reads of the backend beyond its public type. */
interface WasmInternals {
  wasm: {
    cwrap(name: string, ret: null, args: string[]): WasmBatchMatMul;
    tfjs: { disposeData(id: number): void };
  };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number }; delete(dataId: object): void };
}

const internals = (wasm: BackendWasm): WasmInternals => wasm as unknown as WasmInternals;

const entryPoints = new WeakMap<object, WasmBatchMatMul>();

function wasmBatchMatMul(wasm: BackendWasm): WasmBatchMatMul {
  let fn = entryPoints.get(wasm);
  if (!fn) {
    fn = internals(wasm).wasm.cwrap('BatchMatMul', null, ['number', 'array', 'number', 'number', 'array', 'number', 'number', 'number', 'number']);
    entryPoints.set(wasm, fn);
  }
  return fn;
}

const shapeBytes = (shape: number[]): Uint8Array => new Uint8Array(new Int32Array(shape).buffer);

/**
 * Products of a batch smaller than this many multiply-adds stay on the stock
 * loop: each XNNPACK call packs its `b` and registers three views (~12 us),
 * which a small product does not repay (measured break-even ~15,000).
 */
export const MIN_ITEM_MULTIPLY_ADDS = 16384;

/** Registers a float32 view of `size` values at byte `offset` of the heap (no allocation); free it with {@link releaseView}. */
function heapView(wasm: BackendWasm, shape: number[], offset: number): { info: tf.TensorInfo; id: number } {
  const info = wasm.makeOutput(shape, 'float32', offset);
  return { info, id: idOf(wasm, info) };
}

/** Forgets a view without freeing its memory (it belongs to another tensor). */
function releaseView(wasm: BackendWasm, view: { info: tf.TensorInfo; id: number }): void {
  internals(wasm).wasm.tfjs.disposeData(view.id); // also drops the XNNPACK operator cached on it
  internals(wasm).dataIdMap.delete(view.info.dataId);
}

/** The id the C++ side knows a tensor by. */
const idOf = (wasm: BackendWasm, t: tf.TensorInfo): number => internals(wasm).dataIdMap.get(t.dataId).id;
/** Byte offset of a tensor's values in the heap. */
const offsetOf = (wasm: BackendWasm, t: tf.TensorInfo): number => internals(wasm).dataIdMap.get(t.dataId).memoryOffset;

/**
 * `a @ b` without transpose flags on the XNNPACK path, or null when the stock
 * kernel should run (a single product, or products too small to repay a call each).
 * a: [...batchA, M, K], b: [...batchB, K, N] -> [...batch, M, N]
 */
function batchOnFastPath(wasm: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, fused: boolean): tf.TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const [M, K] = a.shape.slice(ra - 2);
  const N = b.shape[rb - 1];
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, ra - 2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, rb - 2));
  if (batchA <= 1 && batchB <= 1) return null; // already the fast path
  if (M === 0 || K === 0 || N === 0) return null;
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, ra - 2), b.shape.slice(0, rb - 2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return broadcastThenMatMul(wasm, a, b, batchShape, fused); // a fix, not a speed-up: always
  if (!fused) return null; // the op-by-op path (setFusedKernels(false)): the stock loop, for comparisons
  // K = 1 (outer products, e.g. the gradient of attention pooling): one broadcasting `Multiply`,
  // the same single product per element, ~25x faster than the stock loop (19 ms for [992,10,1] x [992,1,400]).
  if (K === 1) return callStockKernel('Multiply', 'wasm', wasm, { a, b });
  const outShape = [...batchShape, M, N];
  const run = wasmBatchMatMul(wasm);
  if (batchB === 1) {
    // Every item shares b: the batch is one [1, batchA*M, K] @ [1, K, N] product over a's memory as it lies.
    const out = wasm.makeOutput(outShape, 'float32');
    run(idOf(wasm, a), shapeBytes([1, batchA * M, K]), 3, idOf(wasm, b), shapeBytes([1, K, N]), 3, 0, 0, idOf(wasm, out));
    return out;
  }
  if (M * K * N < MIN_ITEM_MULTIPLY_ADDS) return null;
  const batch = Math.max(batchA, batchB);
  const out = wasm.makeOutput(outShape, 'float32');
  // Byte offsets into the heap: stable (growing the heap replaces its ArrayBuffer, not the offsets).
  const aBase = offsetOf(wasm, a);
  const bBase = offsetOf(wasm, b);
  const outBase = offsetOf(wasm, out);
  const aItem = shapeBytes([1, M, K]);
  const bItem = shapeBytes([1, K, N]);
  for (let i = 0; i < batch; i++) {
    const av = heapView(wasm, [1, M, K], aBase + 4 * (batchA === 1 ? 0 : i) * M * K);
    const bv = heapView(wasm, [1, K, N], bBase + 4 * i * K * N);
    const ov = heapView(wasm, [1, M, N], outBase + 4 * i * M * N);
    try {
      run(av.id, aItem, 3, bv.id, bItem, 3, 0, 0, ov.id);
    } finally {
      releaseView(wasm, av);
      releaseView(wasm, bv);
      releaseView(wasm, ov);
    }
  }
  return out;
}

/** `x` ([...batch, R, C]) repeated along the batch axes it broadcasts to `batchShape` (caller disposes the result). */
function broadcastBatch(wasm: BackendWasm, x: tf.TensorInfo, batchShape: number[]): tf.TensorInfo {
  const own = x.shape.slice(0, -2);
  const padded = [...Array(batchShape.length - own.length).fill(1), ...own];
  const reshaped = callStockKernel('Reshape', 'wasm', wasm, { x }, { shape: [...padded, ...x.shape.slice(-2)] }); // shares x's data
  try {
    return callKernel('Tile', 'wasm', wasm, { x: reshaped }, { reps: [...batchShape.map((d, i) => d / padded[i]), 1, 1] });
  } finally {
    wasm.disposeData(reshaped.dataId);
  }
}

/**
 * Batches that broadcast on both sides (`[2, 1]` against `[1, 3]`): repeated
 * to the common batch first. The stock kernel maps item `i` to `i % batch`,
 * which is wrong for them (it pairs a[1] with b[1] where broadcasting pairs a[0] with b[1]).
 */
function broadcastThenMatMul(wasm: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, batchShape: number[], fused: boolean): tf.TensorInfo {
  const a2 = broadcastBatch(wasm, a, batchShape);
  const b2 = broadcastBatch(wasm, b, batchShape);
  try {
    return batchOnFastPath(wasm, a2, b2, fused) ?? callStockKernel('BatchMatMul', 'wasm', wasm, { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  } finally {
    wasm.disposeData(a2.dataId);
    wasm.disposeData(b2.dataId);
  }
}

/** Values moved by transposing: `[count of a, count of b, count of the output]` of `op(a) @ op(b)`. */
function operandSizes(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): [number, number, number] {
  const M = a.shape[a.shape.length - (transposeA ? 1 : 2)];
  const N = b.shape[b.shape.length - (transposeB ? 2 : 1)];
  const batch = tf.util.sizeFromShape(tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)));
  return [tf.util.sizeFromShape(a.shape), tf.util.sizeFromShape(b.shape), batch * M * N];
}

/**
 * `op(a) @ op(b)` as `(op(b)^T @ op(a)^T)^T` when that transposes fewer
 * values than transposing the flagged operands: in a gradient
 * `dY @ W^T` with W `[K, N]` = `[256, 1024]` and 56 rows, transposing dY
 * (56 x 1024) and the result (56 x 256) moves 72 k values, W itself 262 k
 * (the wasm `Transpose` was 20 % of a spert + BERT training step's kernel
 * time). Null when transposing the operands is as cheap.
 */
function viaTransposedProduct(wasm: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo | null {
  const [sizeA, sizeB, sizeOut] = operandSizes(a, b, transposeA, transposeB);
  const direct = (transposeA ? sizeA : 0) + (transposeB ? sizeB : 0);
  const swapped = (transposeA ? 0 : sizeA) + (transposeB ? 0 : sizeB) + sizeOut;
  if (swapped >= direct) return null;
  // op(b)^T is b when transposeB (else b transposed), likewise for a.
  const product = withExplicitTransposes('BatchMatMul', { inputs: { a: b, b: a }, backend: wasm, attrs: { transposeA: !transposeB, transposeB: !transposeA } }, false); // [..., N, M]
  try {
    return transposeLastTwo(wasm, product); // [..., M, N]
  } finally {
    wasm.disposeData(product.dataId);
  }
}

/**
 * `op(a) @ op(b)` on the installed native {@link MatMulRuntime}, or null when
 * none is installed, the product is not one 2-D product or too small, or the
 * runtime declines. One 2-D product: a batch of one on both sides, or a shared
 * `b` under a batch of `a` that is not transposed (a dense layer on
 * `[B, T, D]`: `a` read as `[B*T, D]` as it lies). Transpose flags go to the
 * runtime as they are (a GEMM reads either layout), so nothing is copied.
 * a: [...batchA, aRows, aCols], b: [...batchB, bRows, bCols] -> [...batch, M, N]
 */
function onNativeRuntime(wasm: BackendWasm, a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): tf.TensorInfo | null {
  if (!matMulRuntime() || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const batchA = tf.util.sizeFromShape(a.shape.slice(0, ra - 2));
  const batchB = tf.util.sizeFromShape(b.shape.slice(0, rb - 2));
  if (batchB !== 1 || (batchA !== 1 && transposeA)) return null;
  const [aRows, aCols] = a.shape.slice(ra - 2);
  const [bRows, bCols] = b.shape.slice(rb - 2);
  const M = transposeA ? aCols : aRows;
  const K = transposeA ? aRows : aCols;
  const N = transposeB ? bRows : bCols;
  if (batchA * M * K * N < MIN_RUNTIME_MULTIPLY_ADDS || K < MIN_RUNTIME_INNER_DIM || K !== (transposeB ? bCols : bRows)) return null;
  const batchShape = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, ra - 2), b.shape.slice(0, rb - 2));
  const store = wasmStore(wasm);
  const out = store.allocate([...batchShape, M, N], 'float32');
  // Views taken after the last allocation (one may move the heap); the runtime keeps none.
  const product = {
    a: store.values(a) as Float32Array,
    aRows: batchA * aRows,
    aCols,
    transposeA,
    b: store.values(b) as Float32Array,
    bRows,
    bCols,
    transposeB,
    out: store.values(out) as Float32Array,
  };
  let done = false;
  try {
    done = multiplyOnRuntime(product);
  } finally {
    if (!done) store.release(out);
  }
  return done ? out : null;
}

/**
 * Runs `kernelName` with its `a` / `b` operands pre-transposed and both
 * transpose flags off; batches of `BatchMatMul` through {@link batchOnFastPath}
 * and, with the fused kernels on, the cheaper of the two ways to transpose
 * ({@link viaTransposedProduct}; `mayReorder` false inside it).
 */
function withExplicitTransposes(kernelName: string, { inputs, backend, attrs }: KernelArgs, mayReorder = true): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  if (kernelName === 'BatchMatMul' && fusedKernelsEnabled()) {
    const native = onNativeRuntime(wasm, a, b, transposeA, transposeB);
    if (native) return native;
  }
  if (mayReorder && kernelName === 'BatchMatMul' && (transposeA || transposeB) && a.dtype === 'float32' && b.dtype === 'float32' && fusedKernelsEnabled()) {
    const reordered = viaTransposedProduct(wasm, a, b, transposeA, transposeB);
    if (reordered) return reordered;
  }
  const temporaries: tf.TensorInfo[] = [];
  const a2 = transposeA ? transposeLastTwo(wasm, a) : a;
  const b2 = transposeB ? transposeLastTwo(wasm, b) : b;
  if (transposeA) temporaries.push(a2);
  if (transposeB) temporaries.push(b2);
  try {
    const fast = kernelName === 'BatchMatMul' ? batchOnFastPath(wasm, a2, b2, fusedKernelsEnabled()) : null;
    return fast ?? callStockKernel(kernelName, 'wasm', wasm, { ...inputs, a: a2, b: b2 }, { ...attrs, transposeA: false, transposeB: false });
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
}

export const batchMatMulWasm = (args: KernelArgs): tf.TensorInfo => withExplicitTransposes('BatchMatMul', args);
export const fusedMatMulWasm = (args: KernelArgs): tf.TensorInfo => withExplicitTransposes('_FusedMatMul', args);
