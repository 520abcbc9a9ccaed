import type * as tf from '@tensorflow/tfjs-core';
import { ACTIVATIONS, isActivationName, type ActivationName } from '../ops/activation.js';

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
