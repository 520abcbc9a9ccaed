import * as tf from '@tensorflow/tfjs-core';

/** Result of {@link clipByGlobalNorm}. */
export interface ClippedGradients {
  /** New gradient tensors (the caller owns and disposes them), same names and shapes as the input. */
  grads: Map<string, tf.Tensor>;
  /** Global L2 norm of the gradients before clipping. */
  norm: number;
}

/** Options of {@link clipByGlobalNorm}. */
export interface ClipOptions {
  /** Throw when the global norm is NaN or infinite (PyTorch `error_if_nonfinite`, default false). */
  errorIfNonfinite?: boolean;
}

/**
 * Scales all gradients together so that their global L2 norm is at most
 * `maxNorm`, exactly as PyTorch `torch.nn.utils.clip_grad_norm_`:
 * `norm = sqrt(sum_i ||g_i||^2)`, `coef = min(1, maxNorm / (norm + 1e-6))`,
 * `g_i <- g_i * coef`. As in PyTorch, a NaN / infinite norm propagates into the
 * gradients unless `errorIfNonfinite` is set. The input tensors are not disposed.
 */
export function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number, options: ClipOptions = {}): ClippedGradients {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new Error(`clipByGlobalNorm: maxNorm must be a positive finite number, got ${maxNorm}`);
  const tensors = [...grads.values()];
  const norm =
    tensors.length === 0
      ? 0
      : tf.tidy(() => tf.sqrt(tf.addN(tensors.map((g) => tf.sum(tf.square(g))))).dataSync()[0]); // [] global norm
  if (options.errorIfNonfinite && !Number.isFinite(norm)) {
    throw new Error(`clipByGlobalNorm: the global gradient norm is ${norm} (gradients: ${[...grads.keys()].join(', ')})`);
  }
  const coef = Math.min(1, maxNorm / (norm + 1e-6)); // NaN when norm is NaN, as in PyTorch
  const clipped = new Map<string, tf.Tensor>();
  for (const [name, g] of grads) clipped.set(name, coef === 1 ? g.clone() : tf.mul(g, coef));
  return { grads: clipped, norm };
}
