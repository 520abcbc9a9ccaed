/**
 * The fused AdamW update: one pass over the flat float32 values of each
 * parameter, its gradient and its two moments, reading and writing the
 * backend's own storage: on wasm a SIMD WebAssembly function working on the
 * backend's heap (`adamw-simd-wasm.ts`), on cpu (or a runtime without wasm
 * SIMD) a JS loop over the backend's arrays; this
 * instead of ~12 elementwise tfjs kernels per parameter tensor (PyTorch's
 * `foreach` / `fused` AdamW plays the same role). Gradient clipping by global
 * norm is folded in: the norm is one more pass over the gradients, the scale is
 * applied inside the update, so no scaled gradient copies are made.
 *
 * Every arithmetic step is rounded to float32 (`Math.fround`) in the order the
 * op-by-op path (`AdamW` with `fused: false`, and `clipByGlobalNorm`) runs its
 * kernels, scalars included (tfjs turns a JS number operand into a float32
 * scalar), so the two paths give the same bits on the wasm and cpu backends.
 *
 * Moments are updated in place when nothing else references them (backend
 * refcount 1); a moment whose data is shared (an exported state's clone) gets
 * a new buffer instead, so no other tensor ever sees its values change. The
 * same holds for parameters on cpu. On wasm a parameter always gets a new
 * buffer (a new data id, as `assign` gives it): the wasm matMul / conv kernels
 * cache XNNPACK operators with the weights packed, keyed by the weight
 * tensor's id, so a weight changed in place would be multiplied stale.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { cpuStore, wasmStore, type ValueStore } from '../backend/kernels/value-store.js';
import { adamwSimd, heapOffset } from '../backend/kernels/adamw-simd-wasm.js';
import { noteInPlaceParameterWrite } from '../module/in-place-writes.js';

/** The backends whose storage the fused update reads and writes directly. */
export type FusedBackendName = 'wasm' | 'cpu';

/** The active backend when the fused update can run on it, else `undefined` (the caller uses the op-by-op path). */
export function fusedBackend(): FusedBackendName | undefined {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : undefined;
}

/** Storage access of the active (fused-capable) backend. */
function storeFor(name: FusedBackendName): ValueStore {
  const backend = tf.backend();
  return name === 'wasm' ? wasmStore(backend) : cpuStore(backend);
}

const f = Math.fround;

/**
 * Global L2 norm of `grads`, rounded as `clipByGlobalNorm` computes it with
 * tfjs kernels: `Square` then `Sum` per tensor (a float32 running sum on wasm,
 * a float64 one on cpu, as their kernels accumulate), `AddN` of the per-tensor
 * sums in order (float32), `Sqrt` (float32).
 */
export function fusedGlobalNorm(grads: readonly tf.Tensor[], backendName: FusedBackendName): number {
  if (grads.length === 0) return 0;
  const store = storeFor(backendName);
  const simd = backendName === 'wasm' ? adamwSimd(tf.backend() as BackendWasm) : undefined;
  let total = 0;
  for (let k = 0; k < grads.length; k++) {
    let s = 0;
    if (simd) {
      s = simd.sumsq(heapOffset(tf.backend() as BackendWasm, grads[k].dataId), grads[k].size);
      total = k === 0 ? s : f(total + s);
      continue;
    }
    const g = store.values(grads[k]) as Float32Array;
    if (backendName === 'wasm') {
      for (let i = 0; i < g.length; i++) s = f(s + f(g[i] * g[i]));
    } else {
      for (let i = 0; i < g.length; i++) s += f(g[i] * g[i]);
      s = f(s);
    }
    total = k === 0 ? s : f(total + s);
  }
  return f(Math.sqrt(total));
}

/** The float32 scalars of one parameter's update (see {@link fusedAdamWUpdate}). */
export interface FusedAdamWScalars {
  beta1: number;
  beta2: number;
  eps: number;
  /** `lr * weightDecay` for a decayed parameter, 0 otherwise. */
  decay: number;
  /** Bias corrections `1 - beta^t` (1 without bias correction). */
  bc1: number;
  bc2: number;
  lr: number;
  /** Gradient scale from clipping (1 = none). */
  gradScale: number;
}

/** Result of {@link fusedAdamWUpdate}: the moment tensors now holding the new values (the inputs themselves when updated in place). */
export interface FusedMoments {
  expAvg: tf.Tensor;
  expAvgSq: tf.Tensor;
}

function shared(t: tf.Tensor): boolean {
  return tf.backend().refCount(t.dataId) > 1;
}

/**
 * One AdamW update of `p` with gradient `g`: the old moments `m`, `v` (or
 * `undefined` at a parameter's first update: zeros) become the returned
 * ones; `p` gets its new value. Moments that were not updated in place (shared
 * data, first update) are new tensors; the old ones are disposed here when
 * they were replaced.
 */
export function fusedAdamWUpdate(
  backendName: FusedBackendName,
  p: tf.Variable,
  g: tf.Tensor,
  m: tf.Tensor | undefined,
  v: tf.Tensor | undefined,
  s: FusedAdamWScalars,
): FusedMoments {
  const store = storeFor(backendName);
  const simd = backendName === 'wasm' ? adamwSimd(tf.backend() as BackendWasm) : undefined;
  if (simd) return simdUpdate(simd, store, p, g, m, v, s);
  // Outputs first: an allocation may move the wasm heap and detach views taken before it.
  const pOut = backendName === 'wasm' || shared(p) ? store.allocate(p.shape, 'float32') : undefined;
  const mOut = !m || shared(m) ? store.allocate(p.shape, 'float32') : undefined;
  const vOut = !v || shared(v) ? store.allocate(p.shape, 'float32') : undefined;

  const pv = store.values(p) as Float32Array;
  const gv = store.values(g) as Float32Array;
  const mIn = m ? (store.values(m) as Float32Array) : undefined;
  const vIn = v ? (store.values(v) as Float32Array) : undefined;
  const pw = pOut ? (store.values(pOut) as Float32Array) : pv;
  const mw = mOut ? (store.values(mOut) as Float32Array) : mIn!;
  const vw = vOut ? (store.values(vOut) as Float32Array) : vIn!;

  const b1 = f(s.beta1);
  const c1 = f(1 - s.beta1);
  const b2 = f(s.beta2);
  const c2 = f(1 - s.beta2);
  const sqrtBc2 = f(Math.sqrt(s.bc2));
  const eps = f(s.eps);
  const keep = f(1 - s.decay);
  const stepSize = f(s.lr / s.bc1);
  const scale = f(s.gradScale);
  const scaled = s.gradScale !== 1;
  const decays = s.decay !== 0;
  const n = pv.length;
  for (let i = 0; i < n; i++) {
    const gi = scaled ? f(gv[i] * scale) : gv[i];
    const mi = f(f((mIn ? mIn[i] : 0) * b1) + f(gi * c1));
    const vi = f(f((vIn ? vIn[i] : 0) * b2) + f(f(gi * gi) * c2));
    const denom = f(f(f(Math.sqrt(vi)) / sqrtBc2) + eps);
    const pi = decays ? f(pv[i] * keep) : pv[i];
    pw[i] = pi - f(f(mi / denom) * stepSize); // the store rounds to float32
    mw[i] = mi;
    vw[i] = vi;
  }

  const engine = tf.engine();
  const wrap = (info: tf.TensorInfo): tf.Tensor => engine.makeTensorFromTensorInfo(info);
  if (pOut) {
    const next = wrap(pOut);
    p.assign(next);
    next.dispose();
  } else {
    noteInPlaceParameterWrite(); // same data id, new values
  }
  let expAvg = m!;
  let expAvgSq = v!;
  if (mOut) {
    m?.dispose();
    expAvg = wrap(mOut);
  }
  if (vOut) {
    v?.dispose();
    expAvgSq = wrap(vOut);
  }
  return { expAvg, expAvgSq };
}

/** The float32 scalars of the update, in the order the kernels use them. */
function roundedScalars(s: FusedAdamWScalars) {
  return {
    b1: f(s.beta1),
    c1: f(1 - s.beta1),
    b2: f(s.beta2),
    c2: f(1 - s.beta2),
    sqrtBc2: f(Math.sqrt(s.bc2)),
    eps: f(s.eps),
    keep: f(1 - s.decay), // 1 (exact) without decay
    stepSize: f(s.lr / s.bc1),
    scale: f(s.gradScale), // 1 (exact) without clipping
  };
}

/**
 * The wasm path: moments in place (a new buffer first when shared or absent),
 * the parameter into a new buffer; the SIMD function does all but the last
 * `n % 4` elements, which a JS loop with the same rounding does.
 */
function simdUpdate(
  simd: NonNullable<ReturnType<typeof adamwSimd>>,
  store: ValueStore,
  p: tf.Variable,
  g: tf.Tensor,
  m: tf.Tensor | undefined,
  v: tf.Tensor | undefined,
  s: FusedAdamWScalars,
): FusedMoments {
  const backend = tf.backend() as BackendWasm;
  const pOut = store.allocate(p.shape, 'float32');
  const mOut = !m || shared(m) ? store.allocate(p.shape, 'float32') : undefined;
  const vOut = !v || shared(v) ? store.allocate(p.shape, 'float32') : undefined;
  // Views only after the last allocation (it may grow the heap).
  if (mOut) {
    const out = store.values(mOut) as Float32Array;
    if (m) out.set(store.values(m) as Float32Array);
    else out.fill(0);
  }
  if (vOut) {
    const out = store.values(vOut) as Float32Array;
    if (v) out.set(store.values(v) as Float32Array);
    else out.fill(0);
  }
  const engine = tf.engine();
  const expAvg = mOut ? engine.makeTensorFromTensorInfo(mOut) : m!;
  const expAvgSq = vOut ? engine.makeTensorFromTensorInfo(vOut) : v!;
  const c = roundedScalars(s);
  const n = p.size;
  const ptr = (t: tf.TensorInfo) => heapOffset(backend, t.dataId);
  simd.adamw(ptr(p), ptr(g), ptr(expAvg), ptr(expAvgSq), ptr(pOut), n, c.b1, c.c1, c.b2, c.c2, c.sqrtBc2, c.eps, c.keep, c.stepSize, c.scale);
  const head = n & ~3;
  if (head < n) {
    const [pv, gv, mv, vv, pw] = [p, g, expAvg, expAvgSq, pOut].map((t) => store.values(t) as Float32Array);
    for (let i = head; i < n; i++) {
      const gi = f(gv[i] * c.scale);
      const mi = f(f(mv[i] * c.b1) + f(gi * c.c1));
      const vi = f(f(vv[i] * c.b2) + f(f(gi * gi) * c.c2));
      const denom = f(f(f(Math.sqrt(vi)) / c.sqrtBc2) + c.eps);
      pw[i] = f(pv[i] * c.keep) - f(f(mi / denom) * c.stepSize);
      mv[i] = mi;
      vv[i] = vi;
    }
  }
  const next = engine.makeTensorFromTensorInfo(pOut);
  p.assign(next);
  next.dispose();
  if (mOut) m?.dispose();
  if (vOut) v?.dispose();
  return { expAvg, expAvgSq };
}
