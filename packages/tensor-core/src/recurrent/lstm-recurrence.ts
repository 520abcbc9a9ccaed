/**
 * The time loop of an LSTM with a hand-written backward pass (BPTT).
 *
 * Gate layout, here and in every kernel of this folder: the 4H columns are
 * `[i | f | o | g]` (input, forget, output gates, then the candidate cell),
 * so the three sigmoids are one op on the first 3H columns:
 *
 *   z_t = xProj_t + h_{t-1} U                     [B, 4H]
 *   i, f, o = sigmoid(z_t[:, :3H]);  g = tanh(z_t[:, 3H:])
 *   c_t = f * c_{t-1} + i * g;       h_t = o * tanh(c_t)      (h_{-1} = c_{-1} = 0)
 *
 * Why a custom gradient: tfjs' autodiff of this loop would transpose U for
 * every step's `dz U^T` (1.3 ms for a [200, 800] matrix on wasm, 180 times
 * per 3-layer BiLSTM step), compute T small `h^T dz` products and add them up,
 * and pad every gate slice back to 4H. Here U^T is made once, `dU` is one
 * `[H, (T-1)B] x [(T-1)B, 4H]` product over all steps, the activation
 * derivatives are computed for all steps in a few whole-sequence ops, and a
 * backward step is 14 small kernels. The input projection's gradient is the
 * stacked `dz` (the caller's `xProj = x W + b` gets it through autodiff).
 */
import * as tf from '@tensorflow/tfjs-core';
import { useFusedKernel } from '../backend/fused-kernels.js';
import { LSTM_RECURRENCE, LSTM_RECURRENCE_GRAD } from '../backend/kernels/lstm-recurrence-kernels.js';

function recurrence(xProj: tf.Tensor, recurrentKernel: tf.Tensor, save: tf.GradSaveFunc) {
  const [T, B, fourH] = xProj.shape; // [T, B, 4H]
  const H = fourH / 4;
  const steps = tf.unstack(xProj); // T x [B, 4H]
  const sigs: tf.Tensor[] = []; // T x [B, 3H]  [i | f | o]
  const gs: tf.Tensor[] = []; // T x [B, H]
  const cs: tf.Tensor[] = []; // T x [B, H]
  const tanhCs: tf.Tensor[] = []; // T x [B, H]
  const hs: tf.Tensor[] = []; // T x [B, H]
  for (let t = 0; t < T; t++) {
    const z: tf.Tensor = t > 0 ? tf.add(steps[t], tf.matMul(hs[t - 1], recurrentKernel)) : steps[t]; // [B, 4H]
    const sig: tf.Tensor = tf.sigmoid(tf.slice(z, [0, 0], [B, 3 * H])); // [B, 3H]
    const g: tf.Tensor = tf.tanh(tf.slice(z, [0, 3 * H], [B, H])); // [B, H]
    const [i, f, o]: tf.Tensor[] = tf.split(sig, 3, 1); // 3 x [B, H]
    const c: tf.Tensor = t > 0 ? tf.add(tf.mul(f, cs[t - 1]), tf.mul(i, g)) : tf.mul(i, g); // [B, H]
    const tanhC = tf.tanh(c); // [B, H]
    sigs.push(sig);
    gs.push(g);
    cs.push(c);
    tanhCs.push(tanhC);
    hs.push(tf.mul(o, tanhC)); // [B, H]
  }
  const out = tf.stack(hs); // [T, B, H]
  // A few whole-sequence tensors rather than 4T small ones: saving clones each.
  save([recurrentKernel, out, tf.stack(sigs), tf.stack(gs), tf.stack(cs), tf.stack(tanhCs)]);

  const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] =>
    tf.tidy(() => {
      const [U, hsAll, sigAll, gAll, cAll, tanhCAll] = saved; // [H,4H], [T,B,H], [T,B,3H], [T,B,H] x3
      // Activation derivatives for all steps at once.
      const sigDeriv = tf.unstack(tf.mul(sigAll, tf.sub(1, sigAll))); // T x [B, 3H]  s(1-s)
      const gDeriv = tf.unstack(tf.sub(1, tf.square(gAll))); // T x [B, H]  1 - g^2
      const [iAll, fAll, oAll] = tf.split(sigAll, 3, 2); // 3 x [T, B, H]
      const cDeriv = tf.unstack(tf.mul(oAll, tf.sub(1, tf.square(tanhCAll)))); // T x [B, H]  d c_t / d h_t = o (1 - tanh^2 c)
      const [iS, fS, gS, cS, tanhCS, dyS] = [iAll, fAll, gAll, cAll, tanhCAll, dy as tf.Tensor].map((x) => tf.unstack(x)); // T x [B, H]
      const UT = tf.transpose(U); // [4H, H], once for all steps
      const dzs: tf.Tensor[] = new Array(T); // T x [B, 4H]
      let dhNext: tf.Tensor | null = null; // [B, H] gradient reaching h_t from step t+1
      let dcNext: tf.Tensor | null = null; // [B, H] gradient reaching c_t from step t+1
      for (let t = T - 1; t >= 0; t--) {
        const dh = dhNext ? tf.add(dyS[t], dhNext) : dyS[t]; // [B, H]
        const dOut = tf.mul(dh, tanhCS[t]); // [B, H] d o
        let dc = tf.mul(dh, cDeriv[t]); // [B, H]
        if (dcNext) dc = tf.add(dc, dcNext);
        const di = tf.mul(dc, gS[t]); // [B, H]
        const df = t > 0 ? tf.mul(dc, cS[t - 1]) : tf.zerosLike(dc); // [B, H]; c_{-1} = 0
        const dg = tf.mul(dc, iS[t]); // [B, H]
        const dzSig = tf.mul(tf.concat([di, df, dOut], 1), sigDeriv[t]); // [B, 3H]
        dzs[t] = tf.concat([dzSig, tf.mul(dg, gDeriv[t])], 1); // [B, 4H]
        if (t > 0) {
          dhNext = tf.matMul(dzs[t], UT); // [B, H]
          dcNext = tf.mul(dc, fS[t]); // [B, H]
        }
      }
      const dXProj = tf.stack(dzs); // [T, B, 4H]
      return [dXProj, recurrentKernelGrad(hsAll, dXProj, U)];
    });

  return { value: out, gradFunc };
}

/** `dU = sum over t >= 1 of h_{t-1}^T dz_t`, as one product over all steps: `[H, 4H]`. */
function recurrentKernelGrad(hsAll: tf.Tensor, dXProj: tf.Tensor, U: tf.Tensor): tf.Tensor {
  const [T, B, fourH] = dXProj.shape;
  const H = fourH / 4;
  if (T <= 1) return tf.zerosLike(U);
  return tf.matMul(
    tf.reshape(tf.slice(hsAll, [0, 0, 0], [T - 1, B, H]), [(T - 1) * B, H]), // [(T-1)B, H]
    tf.reshape(tf.slice(dXProj, [1, 0, 0], [T - 1, B, fourH]), [(T - 1) * B, fourH]), // [(T-1)B, 4H]
    true,
    false,
  ); // [H, 4H]
}

/**
 * The same recurrence with the time loops in the `SpanrelLstmRecurrence` /
 * `...Grad` kernels (wasm, cpu): per step a few direct backend kernel calls
 * and one JS loop instead of ~12 (forward) and ~14 (backward) tfjs kernels;
 * the same numbers bit for bit.
 */
function fusedRecurrence(xProj: tf.Tensor, recurrentKernel: tf.Tensor, save: tf.GradSaveFunc) {
  const [out, gates, cells, tanhCells] = tf.engine().runKernel(LSTM_RECURRENCE, { xProj, recurrentKernel }) as tf.Tensor[]; // [T,B,H], [T,B,4H], [T,B,H] x2
  save([recurrentKernel, out, gates, cells, tanhCells]);
  const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]): tf.Tensor[] =>
    tf.tidy(() => {
      const [U, hsAll, gatesAll, cAll, tanhCAll] = saved;
      const UT = tf.transpose(U); // [4H, H], once for all steps
      const inputs = { dy: dy as tf.Tensor, recurrentKernelT: UT, gates: gatesAll, c: cAll, tanhC: tanhCAll };
      const dXProj = tf.engine().runKernel(LSTM_RECURRENCE_GRAD, inputs) as tf.Tensor; // [T, B, 4H]
      return [dXProj, recurrentKernelGrad(hsAll, dXProj, U)];
    });
  // The gates and cells live on in `save`'s clones; these handles are not returned.
  tf.dispose([gates, cells, tanhCells]);
  return { value: out, gradFunc };
}

const differentiableRecurrence = tf.customGrad(recurrence as unknown as Parameters<typeof tf.customGrad>[0]);
const differentiableFusedRecurrence = tf.customGrad(fusedRecurrence as unknown as Parameters<typeof tf.customGrad>[0]);

/**
 * Runs the LSTM recurrence over all steps, from zero initial states.
 *
 * @param xProj `[T, B, 4H]` time-major input projections `x_t W + b`, gate columns `[i | f | o | g]`
 * @param recurrentKernel `[H, 4H]` U, same column layout
 * @returns `[T, B, H]` hidden states h_t; differentiable w.r.t. both inputs
 */
export function lstmRecurrence(xProj: tf.Tensor3D, recurrentKernel: tf.Tensor2D): tf.Tensor3D {
  const [T, B, fourH] = xProj.shape;
  if (fourH % 4 !== 0 || recurrentKernel.shape[1] !== fourH || recurrentKernel.shape[0] * 4 !== fourH) {
    throw new Error(`lstmRecurrence: xProj [${xProj.shape}] and recurrentKernel [${recurrentKernel.shape}] must be [T, B, 4H] and [H, 4H]`);
  }
  if (T === 0) return tf.zeros([0, B, fourH / 4]);
  if (useFusedKernel(LSTM_RECURRENCE)) return differentiableFusedRecurrence(xProj, recurrentKernel) as tf.Tensor3D;
  return differentiableRecurrence(xProj, recurrentKernel) as tf.Tensor3D;
}
