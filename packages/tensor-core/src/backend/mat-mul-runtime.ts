/**
 * A pluggable native runtime for the wasm backend's large matrix products, in
 * training as in inference.
 *
 * A spert + BERT or a dixit training step on wasm spends 57-66 % of its time
 * in `BatchMatMul` (XNNPACK on one thread, 15-35 GFLOP/s), so no saving in
 * the other kernels could make it 3x faster. A native GEMM does the same
 * products several times faster (onnxruntime-node's MLAS: 100-160 GFLOP/s on
 * one or two threads of this machine). tensor-core only holds the hook, so it
 * depends on no runtime; `@spanrel/encoders` installs one on onnxruntime-node
 * (`installOnnxMatMulRuntime`, done by `@spanrel/joint` in Node).
 *
 * The wasm `BatchMatMul` kernel (`kernels/mat-mul-wasm.ts`) offers the runtime
 * every float32 product that is one 2-D product (a batch of one, or a shared
 * `b` under a batch of `a` without `transposeA`) with at least
 * {@link MIN_RUNTIME_MULTIPLY_ADDS} multiply-adds and an inner dimension of at
 * least {@link MIN_RUNTIME_INNER_DIM}, while the fused-kernel switch
 * is on (`setFusedKernels(false)`, `--no-fused`: XNNPACK / the stock loop, for
 * comparison). The runtime may decline (return false) and XNNPACK runs it.
 */

/** `out = op(a) @ op(b)` over float32 row-major matrices; op transposes when its flag is set. */
export interface MatMulProduct {
  /** `[aRows, aCols]` row-major; `op(a)` is `[M, K]`. */
  a: Float32Array;
  aRows: number;
  aCols: number;
  transposeA: boolean;
  /** `[bRows, bCols]` row-major; `op(b)` is `[K, N]`. */
  b: Float32Array;
  bRows: number;
  bCols: number;
  transposeB: boolean;
  /** `[M, N]` row-major, written by the runtime. */
  out: Float32Array;
}

/** Computes large products outside tfjs, synchronously. */
export interface MatMulRuntime {
  /** A short name for logs and benchmarks (e.g. `onnxruntime-node 1.30.0`). */
  readonly name: string;
  /**
   * Writes `op(a) @ op(b)` into `product.out`; false to decline (tfjs runs the product).
   * The arrays may be views of the wasm heap: read and write them before returning, keep no reference.
   */
  multiply(product: MatMulProduct): boolean;
}

/**
 * Products smaller than this many multiply-adds stay on XNNPACK: a native call
 * costs ~30-50 us here (N-API, session run), which a product repays from about
 * half a million multiply-adds (measured: [1, 400] x [400, 1600], 640 k, is even).
 */
export const MIN_RUNTIME_MULTIPLY_ADDS = 1 << 19;

/**
 * Products whose inner dimension K is smaller than this stay on XNNPACK: an
 * outer product's output is as large as its work, and onnxruntime's `Gemm`
 * with K = 1 (the weight gradient of a layer that saw one row, `x^T dy`) took
 * 24 ms for [2760, 1] x [1, 500] where XNNPACK takes 0.35 ms.
 */
export const MIN_RUNTIME_INNER_DIM = 16;

let runtime: MatMulRuntime | null = null;
let calls = 0;

/** Installs the runtime of every later large matMul on wasm (null: XNNPACK only). Returns the previous one. */
export function setMatMulRuntime(next: MatMulRuntime | null): MatMulRuntime | null {
  const previous = runtime;
  runtime = next;
  return previous;
}

/** The installed runtime, or null. */
export function matMulRuntime(): MatMulRuntime | null {
  return runtime;
}

/** Products the runtime has computed in this process (tests, benchmarks). */
export function matMulRuntimeCalls(): number {
  return calls;
}

/** Offers `product` to the installed runtime; true when it computed it. */
export function multiplyOnRuntime(product: MatMulProduct): boolean {
  if (!runtime || !runtime.multiply(product)) return false;
  calls++;
  return true;
}
