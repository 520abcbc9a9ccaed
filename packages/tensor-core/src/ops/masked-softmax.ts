import * as tf from '@tensorflow/tfjs-core';
import { alignMask, MIN_FLOAT32, normalizeAxis } from './mask-utils.js';
import { withoutGradient } from './stop-gradient.js';

/**
 * Softmax over `axis` restricted to the entries the mask keeps (AllenNLP
 * `masked_softmax` with `memory_efficient=True`, but exact for any logits).
 *
 * Masked entries get weight exactly 0. A fully masked row gives **all-0 weights**
 * (not NaN, not uniform), so an attention over no keys returns the 0 vector; its
 * gradient is 0. Logits must be finite (masked ones may hold any finite value,
 * however large: they are pushed to -3.4e38 and never exponentiated above 0).
 *
 * ```ts
 * const logits = tf.tensor2d([[1, 2, 3], [1, 2, 3]]); // [B=2, N=3]
 * const mask = tf.tensor2d([[1, 1, 0], [0, 0, 0]]);   // [B, N]
 * maskedSoftmax(logits, mask).print();                // [[0.269, 0.731, 0], [0, 0, 0]]
 * ```
 *
 * @param logits e.g. `[B, Tq, Tk]`
 * @param mask any dtype, non-zero = keep; same rank as `logits`, each dim equal or 1
 *   (e.g. `[B, 1, Tk]` for a key mask shared by every query)
 * @param axis the softmax axis (default: last)
 * @returns weights with the shape of `logits`, summing to 1 over `axis` (or 0 for a fully masked row)
 *
 * Both kernel paths run this composition: on the backend's `Softmax` kernel it
 * was ~1e-7 off (another exp), which moves an AdamW step on a parameter whose
 * exact gradient is 0 (the bias of the score a softmax is taken over) the
 * other way, so the two paths' weights part after one step.
 */
export function maskedSoftmax(logits: tf.Tensor, mask: tf.Tensor, axis = -1): tf.Tensor {
  const softmaxAxis = normalizeAxis('maskedSoftmax', axis, logits.rank);
  return tf.tidy(() => {
    const keep = alignMask('maskedSoftmax', logits, mask, false); // [B, Tq|1, Tk] 0/1, broadcasts to logits
    const penalty = tf.mul(tf.sub(1, keep), MIN_FLOAT32); // [B, Tq|1, Tk] 0 kept, MIN_FLOAT32 masked
    const filled = tf.add(logits, penalty); // [B, Tq, Tk] masked -> MIN_FLOAT32
    // Softmax is shift-invariant, so the max's exact gradient contribution is 0: skip it (and its Equal over the logits).
    const rowMax = withoutGradient(filled, (f) => tf.max(f, softmaxAxis, true)); // [B, Tq, 1] max over kept logits
    const shifted = tf.sub(filled, rowMax); // [B, Tq, Tk] <= 0 where kept; 0 in fully masked rows
    const exps = tf.mul(tf.exp(shifted), keep); // [B, Tq, Tk] masked -> 0
    const total = tf.sum(exps, softmaxAxis, true); // [B, Tq, 1] >= 1 unless the row is fully masked
    // From the mask, not from `total`: comparisons have no gradient in tfjs.
    const anyKept = tf.max(keep, softmaxAxis, true); // [B, Tq|1, 1] 0/1
    return tf.div(exps, tf.add(total, tf.sub(1, anyKept))); // [B, Tq, Tk] fully masked -> 0 / 1 = 0
  });
}

