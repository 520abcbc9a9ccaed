import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BiLstm, expectNoLeak, initBackend, setFusedKernels } from '@spanrel/tensor-core';
import { loadOnnxRuntime, onnxRuntimeError, setOnnxRuntimeLoader } from '../onnx/onnxruntime-module.js';
import { setOnnxInference } from '../onnx/onnx-inference-switch.js';
import { BiLstmCharCnnEncoder, type BiLstmCharCnnEncoderConfig } from './bilstm-char-cnn-encoder.js';
import { OnnxBiLstmRunner } from './onnx-bilstm-runner.js';
import { RELATIVE, disposeOutputs, encodeWith, expectOnnxFollowsWeights, relativeDiff } from '../onnx/onnx-test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-bilstm-onnx-'));
const TRAIN = [
  ['John', 'Smith', 'works', 'for', 'IBM', 'in', 'Paris', '.'],
  ['IBM', 'hired', 'John', '.'],
  ['Mary', 'lives', 'in', 'Paris', '.'],
];
/** A padded batch: lengths 9, 1 and 4; "Zurich", "Acme", "yesterday" and "Qx" are in neither the vectors nor training. */
const BATCH = [['Mary', 'works', 'for', 'Acme', 'in', 'Zurich', 'since', 'yesterday', '.'], ['Paris'], ['Qx', 'hired', 'John', '.']];
/** Small sizes, 3 highway layers (as Dixit), every part of the encoder exercised. */
const SMALL: BiLstmCharCnnEncoderConfig = { charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 5, lstmHiddenDim: 7, lstmLayers: 3, highway: true, seed: 5 };

async function fixedEncoder(): Promise<BiLstmCharCnnEncoder> {
  const glove = join(dir, 'glove.txt');
  writeFileSync(glove, ['john 1 0 0.5 0', 'ibm 0 1 0 0', 'paris 0 0 1 0', 'works 0.5 0.5 0 -1', 'mary 0.2 0 0 0.3'].join('\n'));
  return BiLstmCharCnnEncoder.fromData(TRAIN, { ...SMALL, wordEmbedding: { mode: 'fixed', source: glove } });
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  setOnnxInference(true, { threads: null });
  setOnnxRuntimeLoader();
  setFusedKernels(true);
});

it('onnxruntime-node loads here (through transformers.js), so the tests below run the ONNX path', () => {
  expect(loadOnnxRuntime()).not.toBeNull();
  expect(onnxRuntimeError()).toBeUndefined();
});

describe('ONNX BiLSTM forward', () => {
  it('equals BiLstm.apply to 1e-5 relative on a padded batch (lengths 5, 1, 3), zeros at padding, without highway too', () => {
    for (const highway of [true, false]) {
      const bilstm = new BiLstm({ inputDim: 6, hiddenDim: 5, numLayers: 3, highway, seed: 3 });
      const lengths = Int32Array.of(5, 1, 3);
      const mask = tf.tensor2d([[1, 1, 1, 1, 1], [1, 0, 0, 0, 0], [1, 1, 1, 0, 0]]); // [B, T]
      const x = tf.tidy(() => tf.mul(tf.randomNormal([3, 5, 6], 0, 1, 'float32', 7), tf.expandDims(mask, 2)) as tf.Tensor3D); // [B, T, D], 0 at padding
      const runner = new OnnxBiLstmRunner(bilstm, loadOnnxRuntime()!);
      const onnx = runner.run(x, mask, lengths, 1); // [B, T, 2H]
      const tfjs = bilstm.apply(x, mask, false); // [B, T, 2H]
      expect(onnx.shape).toEqual([3, 5, 10]);
      expect(relativeDiff(onnx, tfjs)).toBeLessThan(RELATIVE);
      const padded = (onnx.arraySync() as number[][][]).flatMap((row, b) => row.slice(lengths[b]).flat());
      expect(padded.every((v) => v === 0)).toBe(true);
      tf.dispose([onnx, tfjs, x, mask]);
      runner.release();
      bilstm.dispose();
    }
  });
});

describe('BiLstmCharCnnEncoder on onnxruntime-node', () => {
  let encoder: BiLstmCharCnnEncoder;
  beforeAll(async () => {
    encoder = await fixedEncoder();
  });
  afterAll(() => encoder.dispose());

  it('gives encode() the same states, cls and word vectors as the tfjs path (padded batch, a 1-word sentence, unknown words)', () => {
    expect(encoder.inferencePath()).toBe('onnxruntime');
    const before = encoder.onnxSessionBuilds;
    const onnx = encodeWith(true, encoder, BATCH);
    const tfjs = encodeWith(false, encoder, BATCH);
    expect(encoder.onnxSessionBuilds).toBe(before + 1);
    expect(onnx.hidden.shape).toEqual([3, 9, 14]);
    expect(relativeDiff(onnx.hidden, tfjs.hidden)).toBeLessThan(RELATIVE);
    expect(relativeDiff(onnx.cls, tfjs.cls)).toBeLessThan(RELATIVE);
    expect(onnx.mask.arraySync()).toEqual(tfjs.mask.arraySync());
    expect(onnx.wordVectors!.arraySync()).toEqual(tfjs.wordVectors!.arraySync()); // looked up in tfjs on both paths
    const hidden = onnx.hidden.arraySync() as number[][][];
    expect(hidden[1].slice(1).flat().every((v) => v === 0)).toBe(true); // the 1-word sentence's padding
    disposeOutputs(onnx, tfjs);
  });

  it('follows new weights (assigned, or stepped by AdamW in place) and rebuilds once per change', () => {
    const tokens = BATCH.slice(1);
    expectOnnxFollowsWeights(encoder, tokens, { noise: 0.2, minChange: { assigned: 1e-3, stepped: 1e-4 }, minScale: 0.05 });
  });

  it('leaks no tensor on the ONNX path', () => {
    expectNoLeak(() => encoder.encode({ tokens: BATCH }, false));
  });

  it('falls back to the tfjs path bit for bit when onnxruntime-node cannot be loaded, or a switch is off', () => {
    const tfjs = encodeWith(false, encoder, BATCH);
    const builds = encoder.onnxSessionBuilds;
    const check = () => {
      const out = encoder.encode({ tokens: BATCH }, false);
      expect(out.hidden.dataSync()).toEqual(tfjs.hidden.dataSync());
      expect(out.cls.dataSync()).toEqual(tfjs.cls.dataSync());
      disposeOutputs(out);
    };
    setOnnxRuntimeLoader(() => {
      throw Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(encoder.inferencePath()).toBe('tfjs');
    check();
    expect(onnxRuntimeError()?.message).toMatch(/Cannot find module 'onnxruntime-node'/);
    setOnnxRuntimeLoader();
    setFusedKernels(false);
    expect(encoder.inferencePath()).toBe('tfjs');
    check();
    setFusedKernels(true);
    expect(encoder.inferencePath()).toBe('onnxruntime');
    expect(encoder.onnxSessionBuilds).toBe(builds);
    disposeOutputs(tfjs);
  });
});
