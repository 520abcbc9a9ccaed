/**
 * tensor-core's {@link MatMulRuntime} on onnxruntime-node: the wasm backend's
 * large 2-D matrix products (dense layers, their gradients, the LSTM's input
 * projections), in training as in inference, run as one ONNX `Gemm` each on
 * MLAS, onnxruntime's native GEMM: 100-160 GFLOP/s on this machine where
 * XNNPACK in wasm gives 15-35 (AVX-512 against 128-bit wasm SIMD).
 *
 * One session per pair of transpose flags (and thread count: products under
 * {@link MULTI_THREAD_MULTIPLY_ADDS} on one thread, larger ones on
 * `setOnnxInference`'s threads, every core by default), with symbolic dims,
 * built on first use; operands are read where they lie in the wasm heap, and the product is
 * written straight into the output tensor's heap memory. The same numbers to
 * float rounding (another summation order: ~1e-6 relative).
 */
import { fusedKernelsEnabled, setMatMulRuntime, type MatMulProduct, type MatMulRuntime } from '@spanrel/tensor-core';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';
import { encodeOnnxModel, OnnxDataType } from './onnx-proto.js';
import { onnxInferenceThreads } from './onnx-inference-switch.js';
import { loadOnnxRuntime, type OnnxRuntime, type OnnxSyncSession } from './onnxruntime-module.js';

/** Names of the `Gemm` graph's inputs and output. */
export const GEMM_ONNX_NAMES = { a: 'a', b: 'b', y: 'y' } as const;

/** Environment variable that turns the native matMul off when set to `0` (benchmarks, bisecting a difference). */
export const ONNX_MATMUL_ENV_VAR = 'SPANREL_ONNX_MATMUL';

/**
 * The ONNX model `y = op(a) @ op(b)` with `op` a transpose where its flag is
 * set: one `Gemm` (opset 17) on float32 inputs of any size.
 * a: [aRows, aCols], b: [bRows, bCols] -> y: [M, N]
 */
export function buildGemmOnnxModel(transposeA: boolean, transposeB: boolean): Uint8Array {
  const g = new OnnxGraphBuilder();
  const { a, b, y } = GEMM_ONNX_NAMES;
  g.output(y, g.op('Gemm', [g.input(a), g.input(b)], { transA: transposeA ? 1 : 0, transB: transposeB ? 1 : 0 }));
  const F = OnnxDataType.FLOAT;
  const graph = g.build(
    'spanrel-gemm',
    [
      { name: a, dataType: F, dims: ['a_rows', 'a_cols'] },
      { name: b, dataType: F, dims: ['b_rows', 'b_cols'] },
    ],
    [{ name: y, dataType: F, dims: ['m', 'n'] }],
  );
  return encodeOnnxModel({ irVersion: 8, opsetVersion: 17, producerName: 'spanrel', graph });
}

/**
 * Products with fewer multiply-adds than this run on one thread: waking a second
 * thread (no spin-waiting, see `onnxruntime-module.ts`) costs more than it saves
 * below ~20 M here ([82, 256] x [256, 1024], 21.5 M: 0.32 ms on one thread, 0.30 on two).
 */
export const MULTI_THREAD_MULTIPLY_ADDS = 1 << 25;

let enabled = readEnvSwitch();
/** Sessions by transpose flags and thread count, for the runtime they were built with. */
let cache: { runtime: OnnxRuntime; sessions: Map<string, OnnxSyncSession> } | null = null;

function readEnvSwitch(): boolean {
  const value = typeof process !== 'undefined' ? process.env?.[ONNX_MATMUL_ENV_VAR] : undefined;
  return value === undefined || value === '' || value !== '0';
}

/** Turns the native matMul on (the default where onnxruntime-node loads) or off for every later product. */
export function setOnnxMatMul(on: boolean): void {
  if (typeof on !== 'boolean') throw new Error(`setOnnxMatMul: expected true or false, got ${JSON.stringify(on)}`);
  enabled = on;
}

/** Whether the switch is on (onnxruntime-node may still be missing, or the fused kernels off). */
export function onnxMatMulEnabled(): boolean {
  return enabled;
}

function sessionFor(runtime: OnnxRuntime, transposeA: boolean, transposeB: boolean, threads: number): OnnxSyncSession {
  if (!cache || cache.runtime !== runtime) {
    for (const s of cache?.sessions.values() ?? []) s.release();
    cache = { runtime, sessions: new Map() };
  }
  const key = `${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}/${threads}`;
  let session = cache.sessions.get(key);
  if (!session) {
    try {
      session = runtime.createSession(buildGemmOnnxModel(transposeA, transposeB), threads);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new Error(`onnx-mat-mul: onnxruntime-node ${runtime.version} did not take the Gemm graph (${why}); setOnnxMatMul(false) or ${ONNX_MATMUL_ENV_VAR}=0 keeps matMuls in tfjs`, { cause: e });
    }
    cache.sessions.set(key, session);
  }
  return session;
}

/**
 * Declines (tfjs runs the product) when the switch is off, the fused kernels
 * are off (`--no-fused`) or onnxruntime-node cannot be loaded.
 */
export const onnxMatMulRuntime: MatMulRuntime = {
  get name(): string {
    if (!enabled) return `onnxruntime-node (switched off: ${ONNX_MATMUL_ENV_VAR}=0 or setOnnxMatMul(false))`;
    const runtime = loadOnnxRuntime();
    return runtime ? `onnxruntime-node ${runtime.version} (Gemm)` : 'onnxruntime-node (not loaded)';
  },
  multiply(p: MatMulProduct): boolean {
    if (!enabled || !fusedKernelsEnabled()) return false;
    const runtime = loadOnnxRuntime();
    if (!runtime) return false;
    const M = p.transposeA ? p.aCols : p.aRows;
    const N = p.transposeB ? p.bRows : p.bCols;
    const K = p.transposeA ? p.aRows : p.aCols;
    const threads = M * K * N >= MULTI_THREAD_MULTIPLY_ADDS ? onnxInferenceThreads() : 1;
    const { a, b, y } = GEMM_ONNX_NAMES;
    sessionFor(runtime, p.transposeA, p.transposeB, threads).runInto(
      { [a]: { data: p.a, dims: [p.aRows, p.aCols] }, [b]: { data: p.b, dims: [p.bRows, p.bCols] } },
      y,
      { data: p.out, dims: [M, N] },
    );
    return true;
  },
};

/**
 * Makes the wasm backend's large matMuls run on onnxruntime-node wherever it
 * can be loaded (`@spanrel/joint` calls this when imported in Node, and so do
 * its training and prediction workers). `setMatMulRuntime(null)` uninstalls it.
 */
export function installOnnxMatMulRuntime(): void {
  setMatMulRuntime(onnxMatMulRuntime);
}
