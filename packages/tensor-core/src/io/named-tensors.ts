import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';

/**
 * The named parameters of one module, or of several modules under prefixes:
 * `collectParameters({ encoder, spanHead })` names them `encoder.<param>` and
 * `spanHead.<param>`. The variables themselves are returned (not copies).
 */
export function collectParameters(modules: Module | Record<string, Module>): Map<string, tf.Variable> {
  if (typeof (modules as Module).parameters === 'function') return (modules as Module).parameters();
  const out = new Map<string, tf.Variable>();
  for (const [prefix, module] of Object.entries(modules as Record<string, Module>)) {
    for (const [name, v] of module.parameters()) out.set(`${prefix}.${name}`, v);
  }
  return out;
}

/** Options of {@link assignParameters}. */
export interface AssignParametersOptions {
  /** Accept parameters that `tensors` lacks (they keep their values). Default false. */
  allowMissing?: boolean;
  /** Accept tensors no parameter asks for (they are ignored). Default false. */
  allowUnexpected?: boolean;
  /** Named in error messages, e.g. the checkpoint path. */
  source?: string;
}

/** What {@link assignParameters} did, as PyTorch's `load_state_dict` reports. */
export interface AssignReport {
  assigned: string[];
  /** Parameters with no tensor (only when `allowMissing`). */
  missing: string[];
  /** Tensors with no parameter (only when `allowUnexpected`). */
  unexpected: string[];
}

/**
 * Copies `tensors` into the parameters of `target` (a module or a parameter
 * map) by name. Checks everything first and throws one error naming every
 * missing parameter, every unexpected tensor and every shape or dtype mismatch;
 * nothing is assigned in that case. The tensors stay owned by the caller.
 */
export function assignParameters(
  target: Module | Map<string, tf.Variable>,
  tensors: Map<string, tf.Tensor>,
  options: AssignParametersOptions = {},
): AssignReport {
  const params = target instanceof Map ? target : target.parameters();
  const missing = [...params.keys()].filter((name) => !tensors.has(name));
  const unexpected = [...tensors.keys()].filter((name) => !params.has(name));
  const mismatched: string[] = [];
  for (const [name, v] of params) {
    const t = tensors.get(name);
    if (!t) continue;
    if (!tf.util.arraysEqual(t.shape, v.shape)) mismatched.push(`"${name}": shape [${t.shape}] != parameter shape [${v.shape}]`);
    else if (t.dtype !== v.dtype) mismatched.push(`"${name}": dtype ${t.dtype} != parameter dtype ${v.dtype}`);
  }
  const problems: string[] = [];
  if (missing.length > 0 && !options.allowMissing) problems.push(`missing ${missing.length}: ${missing.map((n) => `"${n}"`).join(', ')}`);
  if (unexpected.length > 0 && !options.allowUnexpected) problems.push(`unexpected ${unexpected.length}: ${unexpected.map((n) => `"${n}"`).join(', ')}`);
  if (mismatched.length > 0) problems.push(`mismatched ${mismatched.length}: ${mismatched.join(', ')}`);
  if (problems.length > 0) {
    throw new Error(`assignParameters${options.source ? ` from ${options.source}` : ''}: ${problems.join('; ')}`);
  }
  const assigned: string[] = [];
  for (const [name, v] of params) {
    const t = tensors.get(name);
    if (!t) continue;
    v.assign(t);
    assigned.push(name);
  }
  return { assigned, missing, unexpected };
}

/** Disposes every tensor of a named collection. */
export function disposeNamedTensors(tensors: Map<string, tf.Tensor>): void {
  for (const t of tensors.values()) t.dispose();
}
