import * as tf from '@tensorflow/tfjs-core';
// tf.variableGrads needs tfjs-core's stock gradients, which its Node entry does not register.
import '../backend/register-gradients.js';
import type { AdamW } from './adamw.js';
import { leanVariableGrads } from './lean-variable-grads.js';

/** Options of {@link trainStep}. */
export interface TrainStepOptions {
  /** Clip the gradients to this global L2 norm before the update (SpERT: 1.0); no clipping when absent. */
  clip?: number;
}

/**
 * One optimization step: computes the loss and its gradients with respect to the
 * trainable variables of `params` (non-trainable ones are frozen), clips them to
 * `options.clip` if given, applies `optimizer` and frees every tensor it made.
 * Returns the loss value.
 *
 * `lossFn` runs inside a gradient tape: it must return a scalar and should use
 * only tensor ops (its intermediates are freed here). A variable listed under two
 * names is updated once, under its first name.
 */
export function trainStep(
  params: Map<string, tf.Variable>,
  lossFn: () => tf.Scalar,
  optimizer: AdamW,
  options: TrainStepOptions = {},
): number {
  // Map tfjs variable names back to parameter names; skip frozen and repeated variables.
  const nameOfVariable = new Map<string, string>();
  const trainable: tf.Variable[] = [];
  for (const [name, v] of params) {
    if (!v.trainable || nameOfVariable.has(v.name)) continue;
    nameOfVariable.set(v.name, name);
    trainable.push(v);
  }
  if (trainable.length === 0) throw new Error(`trainStep: none of the ${params.size} parameters is trainable`);

  // tf.variableGrads' values, with the backward pass freeing activations as it goes (a wasm heap never shrinks).
  const { value, grads } = leanVariableGrads(lossFn, trainable);
  // In parameter order, not tfjs' variable-id order: clipping sums the squared norms in
  // this order, so a model rebuilt in another order (a resumed run) rounds identically.
  const named = new Map<string, tf.Tensor>();
  for (const [variableName, name] of nameOfVariable) {
    const g = grads[variableName];
    if (g) named.set(name, g);
  }
  try {
    // AdamW clips as clipByGlobalNorm does (the fused path without scaled copies).
    optimizer.step(named, options.clip === undefined ? {} : { clip: options.clip });
    return value.dataSync()[0];
  } finally {
    value.dispose();
    for (const g of named.values()) g.dispose();
  }
}
