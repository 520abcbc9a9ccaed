/**
 * What this package's ONNX tests share (not exported): the tolerance of a fast
 * path, a relative difference that refuses a near-zero expectation, and an
 * encoder's output with ONNX inference switched on or off.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { relativeToScale } from '@spanrel/tensor-core';
import { expect } from 'vitest';
import { setOnnxInference } from './onnx-inference-switch.js';

/** The bar for a fast path: max |onnx - tfjs| / max |tfjs| over every value. */
export const RELATIVE = 1e-5;

/**
 * tensor-core's `relativeToScale` of two equally shaped tensors (or arrays),
 * after checking that the expectation is a real signal, max |expected| >
 * `minScale` (a tolerance relative to ~0 would pass anything).
 */
export function relativeDiff(actual: tf.Tensor | ArrayLike<number>, expected: tf.Tensor | ArrayLike<number>, minScale = 0.05): number {
  const isTensor = (x: tf.Tensor | ArrayLike<number>): x is tf.Tensor => 'dataSync' in x;
  if (isTensor(actual) && isTensor(expected)) expect(actual.shape).toEqual(expected.shape);
  const a = isTensor(actual) ? actual.dataSync() : actual;
  const e = isTensor(expected) ? expected.dataSync() : expected;
  let scale = 0;
  for (let i = 0; i < e.length; i++) scale = Math.max(scale, Math.abs(e[i]));
  expect(scale).toBeGreaterThan(minScale);
  return relativeToScale(a, e);
}

/** An encoder's inference output with ONNX inference switched on or off (then back on). */
export function encodeWith<Output>(onnx: boolean, encoder: { encode(batch: { tokens: string[][] }, training: boolean): Output }, tokens: string[][]): Output {
  setOnnxInference(onnx);
  try {
    return encoder.encode({ tokens }, false);
  } finally {
    setOnnxInference(true);
  }
}
