/**
 * The LSTM time loop as two kernels, for the wasm and cpu backends:
 * `SpanrelLstmRecurrence` (forward over all steps) and
 * `SpanrelLstmRecurrenceGrad` (backpropagation through time of the same).
 * Gate layout `[i | f | o | g]`, equations in `recurrent/lstm-recurrence.ts`.
 *
 * What they replace: the op-by-op loop runs ~12 tfjs kernels per step forward
 * and ~14 backward (slices, sigmoid, tanh, products, concats), each a few
 * microseconds of work behind tens of microseconds of engine bookkeeping; a
 * 3-layer BiLSTM over a batch of 30-word sentences is thousands of kernel
 * calls. Here each step calls the backend's own kernels directly (no engine,
 * no tape): the matMul `h U` (resp. `dz U^T`), and forward the sigmoid of the
 * three gates and the tanh of the candidate and of the cell; the products and
 * sums are one JavaScript loop over the `B x H` cells on the backend's memory.
 *
 * Numbers: the same as the op-by-op loop's, bit for bit. The activations come
 * from the same kernels on tensors of the same shapes, and every product and
 * sum is rounded to float32 (`Math.fround`) in the op-by-op order, which is
 * what a float32 kernel computes. (Computing sigmoid / tanh in JS instead
 * differs in the last bit, enough for an Adam step on a parameter whose true
 * gradient is 0, e.g. the bias of a softmax score, to go the other way.)
 */
import type * as tf from '@tensorflow/tfjs-core';
import { callStockKernel, type KernelArgs } from '../kernel-registry.js';
import type { ValueStore } from './value-store.js';

export const LSTM_RECURRENCE = 'SpanrelLstmRecurrence';
export const LSTM_RECURRENCE_GRAD = 'SpanrelLstmRecurrenceGrad';

/**
 * `a [1, M, K] @ b [1, K, N]` with the backend's stock matMul (no transpose
 * flags: the fast path on wasm); the caller disposes the result.
 */
function matMul(backendName: 'wasm' | 'cpu', backend: tf.KernelBackend, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  return callStockKernel('BatchMatMul', backendName, backend, { a, b }, { transposeA: false, transposeB: false });
}

/** A view of `t`'s storage with another shape of the same size (no copy). */
function reshaped(t: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: t.dataId, dtype: t.dtype, shape };
}

/** The two kernels for one backend, given access to its storage. */
export function lstmRecurrenceKernels(backendName: 'wasm' | 'cpu', storeOf: (backend: tf.KernelBackend) => ValueStore) {
  /** The stock unary kernel `name` (Sigmoid, Tanh) on `x`; the caller disposes the result. */
  const unary = (name: string, backend: tf.KernelBackend, x: tf.TensorInfo) => callStockKernel(name, backendName, backend, { x });

  /**
   * Inputs `xProj [T, B, 4H]` (x_t W + b), `recurrentKernel [H, 4H]` (U).
   * Outputs `h [T, B, H]`, `gates [T, B, 4H]` (i, f, o, g after their
   * activations), `c [T, B, H]` and `tanhC [T, B, H]`: what the gradient
   * kernel needs.
   */
  const forward = ({ inputs, backend }: KernelArgs): tf.TensorInfo[] => {
    const { xProj, recurrentKernel } = inputs as { xProj: tf.TensorInfo; recurrentKernel: tf.TensorInfo };
    const [T, B, fourH] = xProj.shape;
    const H = fourH / 4;
    const store = storeOf(backend);
    const h = store.allocate([T, B, H], 'float32');
    const gates = store.allocate([T, B, fourH], 'float32');
    const c = store.allocate([T, B, H], 'float32');
    const tanhC = store.allocate([T, B, H], 'float32');
    // Per-step operands, reused: h_{t-1}, the gate pre-activations z_t split as the op-by-op loop slices them, and c_t.
    const hPrev = store.allocate([1, B, H], 'float32');
    const zSig = store.allocate([B, 3 * H], 'float32');
    const zCand = store.allocate([B, H], 'float32');
    const cStep = store.allocate([B, H], 'float32');
    const U = reshaped(recurrentKernel, [1, H, fourH]);
    try {
      for (let t = 0; t < T; t++) {
        let recurrent: tf.TensorInfo | null = null; // [1, B, 4H] h_{t-1} U
        if (t > 0) {
          store.values(hPrev).set(store.values(h).subarray((t - 1) * B * H, t * B * H));
          recurrent = matMul(backendName, backend, hPrev, U);
        }
        {
          // z_t = xProj_t + h_{t-1} U (xProj_t alone at t = 0). Views after the matMul: on wasm an allocation may move the heap.
          const xv = store.values(xProj);
          const rv = recurrent ? store.values(recurrent) : null;
          const zs = store.values(zSig);
          const zc = store.values(zCand);
          for (let b = 0; b < B; b++) {
            const z = (t * B + b) * fourH;
            const r = b * fourH;
            for (let k = 0; k < 3 * H; k++) zs[b * 3 * H + k] = rv ? xv[z + k] + rv[r + k] : xv[z + k];
            for (let j = 0; j < H; j++) zc[b * H + j] = rv ? xv[z + 3 * H + j] + rv[r + 3 * H + j] : xv[z + 3 * H + j];
          }
        }
        if (recurrent) store.release(recurrent);
        const sig = unary('Sigmoid', backend, zSig); // [B, 3H] i | f | o
        const cand = unary('Tanh', backend, zCand); // [B, H] g
        {
          const sv = store.values(sig);
          const gv = store.values(cand);
          const gates_ = store.values(gates);
          const cv = store.values(c);
          const cs = store.values(cStep);
          for (let b = 0; b < B; b++) {
            const z = (t * B + b) * fourH;
            const s = (t * B + b) * H;
            const sPrev = s - B * H; // the same sentence's row one step earlier
            for (let j = 0; j < H; j++) {
              const i = sv[b * 3 * H + j];
              const f = sv[b * 3 * H + H + j];
              const o = sv[b * 3 * H + 2 * H + j];
              const g = gv[b * H + j];
              gates_[z + j] = i;
              gates_[z + H + j] = f;
              gates_[z + 2 * H + j] = o;
              gates_[z + 3 * H + j] = g;
              // c_t = f c_{t-1} + i g, each product and the sum rounded to float32 as the op-by-op kernels do.
              const cell = t > 0 ? Math.fround(Math.fround(f * cv[sPrev + j]) + Math.fround(i * g)) : Math.fround(i * g);
              cv[s + j] = cell;
              cs[b * H + j] = cell;
            }
          }
        }
        store.release(sig);
        store.release(cand);
        const tanhCell = unary('Tanh', backend, cStep); // [B, H]
        {
          const tv = store.values(tanhCell);
          const gates_ = store.values(gates);
          const hv = store.values(h);
          const tc = store.values(tanhC);
          for (let b = 0; b < B; b++) {
            const z = (t * B + b) * fourH;
            const s = (t * B + b) * H;
            for (let j = 0; j < H; j++) {
              tc[s + j] = tv[b * H + j];
              hv[s + j] = gates_[z + 2 * H + j] * tv[b * H + j]; // h_t = o tanh(c_t)
            }
          }
        }
        store.release(tanhCell);
      }
    } finally {
      for (const temp of [hPrev, zSig, zCand, cStep]) store.release(temp);
    }
    return [h, gates, c, tanhC];
  };

  /**
   * Inputs `dy [T, B, H]` (gradient of the outputs h), `recurrentKernelT
   * [4H, H]` (U^T), and the forward kernel's `gates`, `c` and `tanhC`. Output
   * `dxProj [T, B, 4H]`, the gradient of the pre-activations z_t (= of xProj);
   * dU is `sum_t h_{t-1}^T dz_t`, one matMul the caller makes.
   */
  const gradient = ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const { dy, recurrentKernelT, gates, c, tanhC } = inputs as Record<'dy' | 'recurrentKernelT' | 'gates' | 'c' | 'tanhC', tf.TensorInfo>;
    const [T, B, fourH] = gates.shape;
    const H = fourH / 4;
    const store = storeOf(backend);
    const dz = store.allocate([T, B, fourH], 'float32');
    const dzStep = store.allocate([1, B, fourH], 'float32'); // dz_t, the matMul's left operand
    const UT = reshaped(recurrentKernelT, [1, fourH, H]);
    const dcNext = new Float32Array(B * H); // gradient reaching c_t from step t+1
    let dhNext: tf.TensorInfo | null = null; // [1, B, H] gradient reaching h_t from step t+1: dz_{t+1} U^T
    try {
      for (let t = T - 1; t >= 0; t--) {
        const dyv = store.values(dy);
        const gv = store.values(gates);
        const cv = store.values(c);
        const tcv = store.values(tanhC);
        const dzv = store.values(dz);
        const dhv = dhNext ? store.values(dhNext) : null;
        for (let b = 0; b < B; b++) {
          const z = (t * B + b) * fourH;
          const s = (t * B + b) * H;
          const sPrev = s - B * H;
          for (let j = 0; j < H; j++) {
            const i = gv[z + j];
            const f = gv[z + H + j];
            const o = gv[z + 2 * H + j];
            const g = gv[z + 3 * H + j];
            const tc = tcv[s + j];
            // Each product and sum rounded to float32, in the op-by-op loop's order.
            const dh = dhv ? Math.fround(dyv[s + j] + dhv[b * H + j]) : dyv[s + j];
            const dOut = Math.fround(dh * tc);
            const dcHere = Math.fround(dh * Math.fround(o * Math.fround(1 - Math.fround(tc * tc))));
            const dc = t < T - 1 ? Math.fround(dcHere + dcNext[b * H + j]) : dcHere;
            const di = Math.fround(dc * g);
            const df = t > 0 ? Math.fround(dc * cv[sPrev + j]) : 0;
            const dg = Math.fround(dc * i);
            dzv[z + j] = di * Math.fround(i * Math.fround(1 - i));
            dzv[z + H + j] = df * Math.fround(f * Math.fround(1 - f));
            dzv[z + 2 * H + j] = dOut * Math.fround(o * Math.fround(1 - o));
            dzv[z + 3 * H + j] = dg * Math.fround(1 - Math.fround(g * g));
            dcNext[b * H + j] = dc * f;
          }
        }
        if (dhNext) store.release(dhNext);
        dhNext = null;
        if (t > 0) {
          store.values(dzStep).set(store.values(dz).subarray(t * B * fourH, (t + 1) * B * fourH));
          dhNext = matMul(backendName, backend, dzStep, UT); // [1, B, H]
        }
      }
    } finally {
      if (dhNext) store.release(dhNext);
      store.release(dzStep);
    }
    return dz;
  };

  return { [LSTM_RECURRENCE]: forward, [LSTM_RECURRENCE_GRAD]: gradient };
}
