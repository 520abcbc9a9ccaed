import * as tf from '@tensorflow/tfjs-core';
import { fusedKernelsEnabled } from '../backend/fused-kernels.js';
import { pairGather } from '../ops/pair-gather.js';
import { feedForwardRuntime } from './feed-forward-inference.js';
import type { FeedForward } from './ffn.js';

/**
 * An MLP over ordered pairs of spans, `mlp([g_i; g_j; g_i * g_j])` (Dixit &
 * Al-Onaizan 2019, Eq. 2). At inference (`training` false, fused kernels on)
 * an installed runtime's `runPairs` (onnxruntime-node) gathers the pairs
 * itself, so the `[B, P, 3 Ds]` features are never built in tfjs; otherwise
 * (and when it declines) the tfjs composition runs: pair gather, concat, MLP.
 *
 * @param mlp input size `3 Ds`
 * @param spanReps `[B, K, Ds]`
 * @param pairs int32 `[B, P, 2]` span indices in `[0, K)`
 * @returns `[B, P, outputDim]`
 */
export function pairFeedForward(mlp: FeedForward, spanReps: tf.Tensor3D, pairs: tf.Tensor3D, training: boolean): tf.Tensor3D {
  const runtime = !training && fusedKernelsEnabled() ? feedForwardRuntime() : null;
  const [batchSize, numSpans, dim] = spanReps.shape; // B, K, Ds
  const numPairs = pairs.shape[1]; // P
  if (runtime?.runPairs && mlp.inputDim === 3 * dim && pairs.rank === 3 && pairs.shape[0] === batchSize && batchSize * numPairs > 0) {
    const index = pairs.dataSync(); // [B, P, 2]
    const heads = new Int32Array(batchSize * numPairs); // [B*P] rows of the flat [B*K, Ds] reps
    const tails = new Int32Array(batchSize * numPairs);
    for (let b = 0; b < batchSize; b++) {
      for (let p = 0; p < numPairs; p++) {
        const k = b * numPairs + p;
        heads[k] = b * numSpans + index[2 * k];
        tails[k] = b * numSpans + index[2 * k + 1];
      }
    }
    const flat = tf.reshape(spanReps, [batchSize * numSpans, dim]) as tf.Tensor2D; // [B*K, Ds]
    const y = runtime.runPairs(mlp, flat, heads, tails); // [B*P, out] or null
    flat.dispose();
    if (y !== null) {
      const out = tf.reshape(y, [batchSize, numPairs, mlp.outputDim]) as tf.Tensor3D; // [B, P, out]
      y.dispose();
      return out;
    }
  }
  return tf.tidy(() => {
    const { head, tail } = pairGather(spanReps, pairs); // [B, P, Ds] each
    const x = tf.concat([head, tail, tf.mul(head, tail)], 2); // [B, P, 3 Ds]
    return mlp.apply(x, training) as tf.Tensor3D; // [B, P, out]
  });
}
