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
 * calls. Here each step is one call of the backend's own matMul (`h U`,
 * resp. `dz U^T`, on the backend's fast path) and one JavaScript loop over
 * the `B x H` cells on the backend's memory.
 *
 * Numbers: the activations are computed in float64 and stored in float32, so
 * they can differ from the tfjs kernels' float32 ones in the last bit (the
 * tests hold the two paths to 1e-5 relative).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { callStockKernel, type KernelArgs } from '../kernel-registry.js';
import type { ValueStore } from './value-store.js';

export const LSTM_RECURRENCE = 'SpanrelLstmRecurrence';
export const LSTM_RECURRENCE_GRAD = 'SpanrelLstmRecurrenceGrad';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

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
  /**
   * Inputs `xProj [T, B, 4H]` (x_t W + b), `recurrentKernel [H, 4H]` (U).
   * Outputs `h [T, B, H]`, `gates [T, B, 4H]` (i, f, o, g after their
   * activations) and `c [T, B, H]`: what the gradient kernel needs.
   */
  const forward = ({ inputs, backend }: KernelArgs): tf.TensorInfo[] => {
    const { xProj, recurrentKernel } = inputs as { xProj: tf.TensorInfo; recurrentKernel: tf.TensorInfo };
    const [T, B, fourH] = xProj.shape;
    const H = fourH / 4;
    const store = storeOf(backend);
    const h = store.allocate([T, B, H], 'float32');
    const gates = store.allocate([T, B, fourH], 'float32');
    const c = store.allocate([T, B, H], 'float32');
    const hPrev = store.allocate([1, B, H], 'float32'); // h_{t-1}, the matMul's left operand
    const U = reshaped(recurrentKernel, [1, H, fourH]);
    try {
      for (let t = 0; t < T; t++) {
        let recurrent: tf.TensorInfo | null = null; // [1, B, 4H] h_{t-1} U
        if (t > 0) {
          store.values(hPrev).set(store.values(h).subarray((t - 1) * B * H, t * B * H));
          recurrent = matMul(backendName, backend, hPrev, U);
        }
        // Views after the matMul: on wasm its output allocation may move the heap.
        const xv = store.values(xProj);
        const hv = store.values(h);
        const gv = store.values(gates);
        const cv = store.values(c);
        const rv = recurrent ? store.values(recurrent) : null;
        for (let b = 0; b < B; b++) {
          const z = (t * B + b) * fourH; // row of xProj / gates
          const r = b * fourH; // row of the recurrent product
          const s = (t * B + b) * H; // row of h / c
          const sPrev = s - B * H; // the same sentence's row one step earlier
          for (let j = 0; j < H; j++) {
            const zi = xv[z + j] + (rv ? rv[r + j] : 0);
            const zf = xv[z + H + j] + (rv ? rv[r + H + j] : 0);
            const zo = xv[z + 2 * H + j] + (rv ? rv[r + 2 * H + j] : 0);
            const zg = xv[z + 3 * H + j] + (rv ? rv[r + 3 * H + j] : 0);
            const i = Math.fround(sigmoid(Math.fround(zi)));
            const f = Math.fround(sigmoid(Math.fround(zf)));
            const o = Math.fround(sigmoid(Math.fround(zo)));
            const g = Math.fround(Math.tanh(Math.fround(zg)));
            gv[z + j] = i;
            gv[z + H + j] = f;
            gv[z + 2 * H + j] = o;
            gv[z + 3 * H + j] = g;
            const cell = Math.fround(t > 0 ? Math.fround(f * cv[sPrev + j]) + Math.fround(i * g) : i * g);
            cv[s + j] = cell;
            hv[s + j] = o * Math.fround(Math.tanh(cell));
          }
        }
        if (recurrent) store.release(recurrent);
      }
    } finally {
      store.release(hPrev);
    }
    return [h, gates, c];
  };

  /**
   * Inputs `dy [T, B, H]` (gradient of the outputs h), `recurrentKernelT
   * [4H, H]` (U^T), and the forward kernel's `gates` and `c`. Output
   * `dxProj [T, B, 4H]`, the gradient of the pre-activations z_t (= of xProj);
   * dU is `sum_t h_{t-1}^T dz_t`, one matMul the caller makes.
   */
  const gradient = ({ inputs, backend }: KernelArgs): tf.TensorInfo => {
    const { dy, recurrentKernelT, gates, c } = inputs as Record<'dy' | 'recurrentKernelT' | 'gates' | 'c', tf.TensorInfo>;
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
            const tanhC = Math.fround(Math.tanh(cv[s + j]));
            const dh = Math.fround(dyv[s + j] + (dhv ? dhv[b * H + j] : 0));
            const dOut = Math.fround(dh * tanhC);
            const dc = Math.fround(Math.fround(dh * Math.fround(o * Math.fround(1 - Math.fround(tanhC * tanhC)))) + dcNext[b * H + j]);
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
