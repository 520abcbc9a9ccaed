/**
 * Where each trainable parameter lives in the flat float32 buffers that
 * data-parallel training shares between threads (the weights the workers read
 * before a step, the gradients each worker writes back).
 */
import type * as tf from '@tensorflow/tfjs-core';
import { storedValues } from './stored-values.js';

/** One parameter's place in a flat buffer. */
export interface ParameterSlot {
  /** The parameter's name in `Module.parameters()`. */
  name: string;
  shape: number[];
  /** First float of the parameter in the buffer. */
  offset: number;
  /** Number of floats. */
  size: number;
}

/**
 * The trainable parameters in parameter order, each variable once (as
 * tensor-core's `trainStep` takes them: a variable reachable under two names
 * keeps the first), laid out one after another; `total` floats in all.
 */
export function trainableLayout(params: Map<string, tf.Variable>): { slots: ParameterSlot[]; total: number } {
  const seen = new Set<string>();
  const slots: ParameterSlot[] = [];
  let offset = 0;
  for (const [name, v] of params) {
    if (!v.trainable || seen.has(v.name)) continue;
    seen.add(v.name);
    slots.push({ name, shape: [...v.shape], offset, size: v.size });
    offset += v.size;
  }
  return { slots, total: offset };
}

/**
 * The variables of `params` behind `slots` (a model built from the same config
 * in another thread); throws naming the first parameter missing or shaped otherwise.
 */
export function variablesOfSlots(params: Map<string, tf.Variable>, slots: readonly ParameterSlot[]): tf.Variable[] {
  return slots.map((slot) => {
    const v = params.get(slot.name);
    if (!v) throw new Error(`parameter "${slot.name}" is missing from the worker's model`);
    if (v.shape.join(',') !== slot.shape.join(',')) throw new Error(`parameter "${slot.name}" is [${v.shape.join(', ')}] in the worker's model, [${slot.shape.join(', ')}] in the calling thread's`);
    return v;
  });
}

/** Copies the variables' values into `buffer` at their slots. */
export function writeVariables(buffer: Float32Array, slots: readonly ParameterSlot[], variables: readonly tf.Variable[]): void {
  slots.forEach((slot, i) => buffer.set(storedValues(variables[i]), slot.offset));
}
