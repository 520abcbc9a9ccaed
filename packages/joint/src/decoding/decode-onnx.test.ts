import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BiLstmCharCnnEncoder, installOnnxFeedForwardRuntime, loadOnnxRuntime, onnxFeedForwardBuilds, setOnnxInference, setOnnxRuntimeLoader } from '@spanrel/encoders';
import { expectNoLeak, initBackend, setFeedForwardRuntime, setFusedKernels } from '@spanrel/tensor-core';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { train } from '../training/train.js';
import { decodeDocumentsWithTags } from './decode.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-decode-onnx-'));
const trainDocs = tinyCorpus(24, 3);
/** Unseen sentences, of 1 to 13 words, with words the vocabulary does not have. */
const devDocs = [
  ...tinyCorpus(8, 8),
  { id: 'one-word', tokens: ['Zelda'], entities: [], relations: [] },
  { id: 'unknown-words', tokens: ['Unknownia', 'hired', 'Ada', 'Brandt', 'in', 'Qwerty', '.'], entities: [], relations: [] },
];

let model: JointModel;
beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  // Dixit with a 2-layer highway BiLSTM, trained enough to find entities and relations.
  const spec = tinySpec('dixit', { encoder: { config: { lstmLayers: 2, highway: true } }, training: { epochs: 8, batchSize: 2 } }, { dropout: false });
  model = (await train({ spec, schema: TINY_SCHEMA, train: trainDocs, dev: devDocs.slice(0, 4), outDir: join(root, 'run') })).model;
  // A short run finds entities before relations: lower the relation head's `none` logit so that
  // pairs are predicted too and both MLP paths are compared on real relation decisions.
  const noneBias = [...model.relationHead.parameters()].filter(([name]) => name.endsWith('.bias')).at(-1)![1]; // [R + 1]
  const lowered = Float32Array.from(noneBias.dataSync());
  lowered[0] -= 4;
  const next = tf.tensor1d(lowered);
  noneBias.assign(next);
  next.dispose();
}, 600_000);
afterAll(() => {
  model?.dispose();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  setFeedForwardRuntime(null);
  setOnnxInference(true);
  setOnnxRuntimeLoader();
  setFusedKernels(true);
});

/** Predictions (documents, probabilities) with the encoder's BiLSTM and the heads' MLPs on onnxruntime-node, or all on tfjs. */
function predictWith(onnx: boolean) {
  if (onnx) installOnnxFeedForwardRuntime();
  setOnnxInference(onnx);
  try {
    return decodeDocumentsWithTags(model, devDocs);
  } finally {
    setOnnxInference(true);
    setFeedForwardRuntime(null);
  }
}

describe('dixit decoding on onnxruntime-node', () => {
  it('predicts what the tfjs path predicts, probabilities to 1e-5', () => {
    expect(loadOnnxRuntime()).not.toBeNull();
    expect(model.encoder).toBeInstanceOf(BiLstmCharCnnEncoder);
    const encoder = model.encoder as BiLstmCharCnnEncoder;
    const encoderBuilds = encoder.onnxSessionBuilds;
    const mlpBuilds = onnxFeedForwardBuilds();
    const onnx = predictWith(true);
    expect(encoder.onnxSessionBuilds).toBe(encoderBuilds + 1);
    expect(onnxFeedForwardBuilds()).toBe(mlpBuilds + 3); // span attention, entity and relation MLPs
    const tfjs = predictWith(false);
    const found = tfjs.docs.reduce((n, d) => n + d.entities.length + d.relations.length, 0);
    expect(found).toBeGreaterThan(10); // a model that predicts something
    expect(tfjs.docs.some((d) => d.relations.length > 0)).toBe(true);
    expect(onnx.docs).toEqual(tfjs.docs);
    onnx.scores.forEach((s, i) => {
      const want = tfjs.scores[i];
      const close = (a: readonly number[], b: readonly number[]) => a.forEach((x, k) => expect(Math.abs(x - b[k])).toBeLessThan(1e-5));
      close(s.entities, want.entities);
      close(s.relations, want.relations);
    });
    expect(encoder.onnxSessionBuilds).toBe(encoderBuilds + 1); // the tfjs run built nothing
  });

  it('falls back to the tfjs path bit for bit when onnxruntime-node cannot be loaded', () => {
    const tfjs = predictWith(false);
    setOnnxRuntimeLoader(() => {
      throw new Error("Cannot find module 'onnxruntime-node'");
    });
    const fallback = predictWith(true);
    expect(fallback.docs).toEqual(tfjs.docs);
    expect(fallback.scores).toEqual(tfjs.scores);
  });

  it('leaks no tensor', () => {
    installOnnxFeedForwardRuntime();
    expectNoLeak(() => {
      decodeDocumentsWithTags(model, devDocs);
    });
    expect(tf.memory().numTensors).toBeGreaterThan(0);
  });
});
