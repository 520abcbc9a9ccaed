import type * as tf from '@tensorflow/tfjs-core';
import { ACTIVATIONS, isActivationName, type ActivationName } from '../ops/activation.js';

/*
 * Checks of plain-JSON module configs, shared by every package that registers
 * modules. Every error names the module kind and the config field, so a mistake
 * in a config file is found from the message alone.
 */

/** Throws `"<kind>: config.<field> must be a positive integer, got <value>"` unless it is one. */
export function checkPositiveInt(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${kind}: config.${field} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A dropout-style probability in `[0, 1)`. */
export function checkRate(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new Error(`${kind}: config.${field} must be a number in [0, 1), got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A finite number. */
export function checkNumber(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${kind}: config.${field} must be a finite number, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** An integer seed (any sign; stored as given). */
export function checkSeed(kind: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`${kind}: config.seed must be an integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** One of the activation names of `ops/activation`. */
export function checkActivation(kind: string, field: string, value: unknown): ActivationName {
  if (!isActivationName(value)) {
    throw new Error(`${kind}: config.${field} must be one of ${ACTIVATIONS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Throws unless the trailing axis of `x` has size `expected`. */
export function checkLastDim(kind: string, what: string, x: tf.Tensor, expected: number, field: string): void {
  const actual = x.shape[x.rank - 1];
  if (x.rank < 1 || actual !== expected) {
    throw new Error(`${kind}: ${what} has shape [${x.shape.join(', ')}], its last axis must be config.${field} = ${expected}`);
  }
}

/** Throws unless `config` is a plain object whose keys are all in `known` (catches typos such as `widhtDim`). */
export function checkConfigObject(kind: string, config: unknown, known: readonly string[]): Record<string, unknown> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new Error(`${kind}: config must be an object, got ${JSON.stringify(config)}`);
  }
  const unknown = Object.keys(config).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new Error(`${kind}: unknown config field(s) ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${known.join(', ')}`);
  }
  return config as Record<string, unknown>;
}

export function checkNonNegativeInt(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${kind}: config.${field} must be an integer >= 0, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkPositiveNumber(kind: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${kind}: config.${field} must be a positive number, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function checkBoolean(kind: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new Error(`${kind}: config.${field} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

/** An array of positive integers (hidden layer sizes); `[]` is allowed. */
export function checkDims(kind: string, field: string, value: unknown): number[] {
  if (!Array.isArray(value)) throw new Error(`${kind}: config.${field} must be an array of positive integers, got ${JSON.stringify(value)}`);
  return value.map((d, i) => checkPositiveInt(kind, `${field}[${i}]`, d));
}
