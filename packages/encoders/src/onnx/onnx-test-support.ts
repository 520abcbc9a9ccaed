/**
 * What this package's ONNX tests share (not exported): the tolerance of a fast
 * path, a relative difference that refuses a near-zero expectation, an
 * encoder's output with ONNX inference switched on or off, and the check that
 * an encoder's ONNX session follows its weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AdamW, assignParameters, relativeToScale, type EncoderOutput, type Module } from '@spanrel/tensor-core';
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

/** An encoder whose inference may run on onnxruntime-node (the BERT and BiLSTM encoders). */
interface OnnxEncoder extends Module {
  encode(batch: { tokens: string[][] }, training: boolean): EncoderOutput;
  readonly onnxSessionBuilds: number;
}

/** Frees an encoder output's tensors. */
export function disposeOutputs(...outs: EncoderOutput[]): void {
  for (const o of outs) tf.dispose([o.hidden, o.mask, o.cls, ...(o.wordVectors ? [o.wordVectors] : [])]);
}

/**
 * Checks that an encoder's ONNX session follows its weights on `tokens`: the
 * same weights keep the session; weights assigned (new data ids, as a
 * checkpoint load gives them) and one fused AdamW step on cpu (in place: the
 * same data ids, only tensor-core's write count changes) each rebuild it once,
 * and after each the ONNX states agree with tfjs' to {@link RELATIVE} while
 * they moved by more than `minChange` (assigned: `noise` times each weight's
 * size added; stepped: lr 1e-2). `minScale` as for {@link relativeDiff}.
 */
export function expectOnnxFollowsWeights(
  encoder: OnnxEncoder,
  tokens: string[][],
  { noise, minChange, minScale }: { noise: number; minChange: { assigned: number; stepped: number }; minScale: number },
): void {
  disposeOutputs(encoder.encode({ tokens }, false));
  const builds = encoder.onnxSessionBuilds;
  disposeOutputs(encoder.encode({ tokens }, false));
  expect(encoder.onnxSessionBuilds).toBe(builds); // same weights: same session

  // assignParameters (Variable.assign: new data ids), as a checkpoint load does
  const original = encodeWith(true, encoder, tokens);
  const perturbed = new Map([...encoder.parameters()].map(([name, v]) => [name, tf.tidy(() => tf.add(v, tf.mul(tf.randomNormal(v.shape, 0, noise, 'float32', 11), tf.abs(v))))]));
  assignParameters(encoder, perturbed);
  tf.dispose([...perturbed.values()]);
  const onnx = encodeWith(true, encoder, tokens);
  const tfjs = encodeWith(false, encoder, tokens);
  expect(encoder.onnxSessionBuilds).toBe(builds + 1);
  expect(relativeDiff(onnx.hidden, original.hidden, minScale)).toBeGreaterThan(minChange.assigned); // the weights did change the states
  expect(relativeDiff(onnx.hidden, tfjs.hidden, minScale)).toBeLessThan(RELATIVE);

  // one fused AdamW step on cpu writes the parameters in place (same data ids)
  const params = encoder.parameters();
  const optimizer = new AdamW(params, { lr: 1e-2, fused: true });
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(encoder.encode({ tokens }, true).hidden)) as tf.Scalar, [...params.values()]);
  const ids = [...params.values()].map((v) => v.dataId);
  optimizer.step(new Map([...params].map(([name, v]) => [name, grads[v.name]])));
  expect([...params.values()].map((v) => v.dataId)).toEqual(ids); // really in place: only the write count says so
  tf.dispose(Object.values(grads));
  optimizer.dispose();
  expect(encoder.onnxSessionBuilds).toBe(builds + 1); // training never runs the ONNX path
  const stepped = encodeWith(true, encoder, tokens);
  const again = encodeWith(true, encoder, tokens);
  const steppedTfjs = encodeWith(false, encoder, tokens);
  expect(encoder.onnxSessionBuilds).toBe(builds + 2); // one rebuild after the step, none for the run after it
  expect(relativeDiff(stepped.hidden, onnx.hidden, minScale)).toBeGreaterThan(minChange.stepped);
  expect(relativeDiff(stepped.hidden, steppedTfjs.hidden, minScale)).toBeLessThan(RELATIVE);
  disposeOutputs(original, onnx, tfjs, stepped, again, steppedTfjs);
}
