import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectNoLeak, fusedKernelsEnabled, initBackend, setFusedKernels } from '@spanrel/tensor-core';
import { defaultOnnxThreads, loadOnnxRuntime, onnxRuntimeError, setOnnxRuntimeLoader } from '../onnx/onnxruntime-module.js';
import { setOnnxInference } from '../onnx/onnx-inference-switch.js';
import { BertEncoder } from './bert-encoder.js';
import { buildBertOnnxModel } from './bert-onnx-graph.js';
import { OnnxBertRunner } from './onnx-bert-runner.js';
import { FIXTURES, readReference } from './test-fixtures.js';
import { RELATIVE, encodeWith, expectOnnxFollowsWeights, relativeDiff as relativeToExpected } from '../onnx/onnx-test-support.js';

/** States of a real forward, not zeros: the expectation's largest value is above 0.1. */
const relativeDiff = (actual: tf.Tensor, expected: tf.Tensor) => relativeToExpected(actual, expected, 0.1);

/** The tfjs forward (op by op) of an encoder's BertModel on a batch, as `encode` feeds it. */
function tfjsStates(encoder: BertEncoder, tokens: string[][]): tf.Tensor3D {
  const sub = encoder.tokenize({ tokens });
  return tf.tidy(() =>
    encoder.bert.apply(
      tf.tensor2d(sub.inputIds, [sub.batchSize, sub.length], 'int32'), // [B, N]
      tf.tensor2d(sub.attentionMask, [sub.batchSize, sub.length], 'float32'), // [B, N]
      false,
    ),
  ); // [B, N, D]
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

afterEach(() => {
  setOnnxInference(true, { threads: null });
  setOnnxRuntimeLoader();
  setFusedKernels(true);
});

it('onnxruntime-node loads here (through transformers.js), so the tests below run the ONNX path', () => {
  const runtime = loadOnnxRuntime();
  expect(onnxRuntimeError()?.message).toBeUndefined();
  expect(runtime).not.toBeNull();
  expect(runtime!.version).toMatch(/^1\.\d+/);
});

describe.each([
  ['bert', FIXTURES.bert], // exact erf GELU
  ['albert', FIXTURES.albert], // tanh GELU, factorised embeddings, shared layers
] as const)('ONNX forward of tiny-%s', (_family, folder) => {
  const reference = readReference(folder);
  // Padded batch of 2- to 13-word sentences: padding on every row but the longest.
  const sentences = reference.sentences.map((s) => s.words);
  const encoder = new BertEncoder({ model: folder });
  afterAll(() => encoder.dispose());

  it('equals the tfjs forward to 1e-5 relative on a padded batch, padding positions included', () => {
    const runner = new OnnxBertRunner(encoder.bert, loadOnnxRuntime()!);
    const sub = encoder.tokenize({ tokens: sentences });
    expect(new Set(sub.sentences.map((s) => s.inputIds.length)).size).toBe(sentences.length); // all lengths differ
    const onnx = runner.run(sub.inputIds, sub.attentionMask, sub.batchSize, sub.length, 1); // [B, N, D]
    const tfjs = tfjsStates(encoder, sentences); // [B, N, D]
    expect(onnx.shape).toEqual([sentences.length, sub.length, 32]);
    expect(relativeDiff(onnx, tfjs)).toBeLessThan(RELATIVE);
    tf.dispose([onnx, tfjs]);
    runner.release();
  });

  it('gives encode() the same word states and [CLS] as the tfjs path, and the PyTorch reference', () => {
    expect(encoder.inferencePath()).toBe('onnxruntime');
    const before = encoder.onnxSessionBuilds;
    const onnx = encodeWith(true, encoder, sentences);
    const tfjs = encodeWith(false, encoder, sentences);
    expect(encoder.onnxSessionBuilds).toBe(before + 1);
    expect(relativeDiff(onnx.hidden, tfjs.hidden)).toBeLessThan(RELATIVE);
    expect(relativeDiff(onnx.cls, tfjs.cls)).toBeLessThan(RELATIVE);
    expect(onnx.mask.arraySync()).toEqual(tfjs.mask.arraySync());
    const hidden = onnx.hidden.arraySync();
    reference.sentences.forEach((ref, b) => {
      const got = hidden[b].slice(0, ref.words.length).flat();
      const want = ref.word_max.flat();
      expect(Math.max(...got.map((x, i) => Math.abs(x - want[i])))).toBeLessThan(1e-4); // PyTorch, as bert-encoder.test.ts
    });
    tf.dispose([onnx, tfjs].flatMap((o) => [o.hidden, o.mask, o.cls]));
  });

  it('follows new weights (assigned or stepped by AdamW), and rebuilds only then', () => {
    const tokens = sentences.slice(1, 3);
    expectOnnxFollowsWeights(encoder, tokens, { noise: 0.05, minChange: { assigned: 1e-2, stepped: 1e-3 }, minScale: 0.1 });
  });

  it('leaks no tensor on the ONNX path', () => {
    expectNoLeak(() => encoder.encode({ tokens: sentences }, false));
  });
});

describe('the switches and a missing onnxruntime-node', () => {
  const sentences = readReference(FIXTURES.bert).sentences.map((s) => s.words);
  const encoder = new BertEncoder({ model: FIXTURES.bert });
  afterAll(() => encoder.dispose());

  /** The tfjs path's output, bit for bit, and no session built. */
  function expectTfjsPath(): void {
    const builds = encoder.onnxSessionBuilds;
    expect(encoder.inferencePath()).toBe('tfjs');
    const out = encoder.encode({ tokens: sentences }, false);
    const states = tfjsStates(encoder, sentences);
    const cls = tf.tidy(() => tf.reshape(tf.slice(states, [0, 0, 0], [sentences.length, 1, 32]), [sentences.length, 32]));
    expect(cls.arraySync()).toEqual(out.cls.arraySync());
    expect(encoder.onnxSessionBuilds).toBe(builds);
    tf.dispose([out.hidden, out.mask, out.cls, states, cls]);
  }

  it('runs the tfjs path when onnxruntime-node cannot be loaded, and says why', () => {
    setOnnxRuntimeLoader(() => {
      throw Object.assign(new Error("Cannot find module 'onnxruntime-node'"), { code: 'MODULE_NOT_FOUND' });
    });
    expectTfjsPath();
    expect(loadOnnxRuntime()).toBeNull();
    expect(onnxRuntimeError()?.message).toMatch(/Cannot find module 'onnxruntime-node'/);
    setOnnxRuntimeLoader();
    expect(encoder.inferencePath()).toBe('onnxruntime');
  });

  it('runs the tfjs path with setOnnxInference(false) or setFusedKernels(false) (--no-fused)', () => {
    setOnnxInference(false);
    expectTfjsPath();
    setOnnxInference(true);
    setFusedKernels(false);
    expect(fusedKernelsEnabled()).toBe(false);
    expectTfjsPath();
  });

  it('rebuilds the session for another thread count, after invalidateInference(), and on prepareInference() only when stale', () => {
    encoder.prepareInference();
    const builds = encoder.onnxSessionBuilds;
    encoder.prepareInference();
    expect(encoder.onnxSessionBuilds).toBe(builds);
    encoder.invalidateInference();
    encoder.prepareInference();
    expect(encoder.onnxSessionBuilds).toBe(builds + 1);
    const other = defaultOnnxThreads() === 1 ? 2 : 1; // the default is every core
    setOnnxInference(true, { threads: other });
    const viaOther = encoder.encode({ tokens: sentences }, false);
    expect(encoder.onnxSessionBuilds).toBe(builds + 2);
    setOnnxInference(true, { threads: null });
    const viaDefault = encoder.encode({ tokens: sentences }, false);
    expect(encoder.onnxSessionBuilds).toBe(builds + 3);
    expect(relativeDiff(viaOther.hidden, viaDefault.hidden)).toBeLessThan(RELATIVE);
    tf.dispose([viaOther, viaDefault].flatMap((o) => [o.hidden, o.mask, o.cls]));
    expect(() => setOnnxInference(true, { threads: 0 })).toThrow(/threads must be null or a positive integer, got 0/);
  });

  it('writes a model onnxruntime-node reads, with the three BERT inputs and one [B, N, D] output', () => {
    const bytes = buildBertOnnxModel(encoder.bert);
    // Weights dominate: 2 layers x (4 D^2 + 2 D I) + V D + P D + 2 D floats, plus small constants and the graph.
    const D = 32;
    const floats = 2 * (4 * D * D + 2 * D * 37 + 4 * D + 37 + D + 4 * D) + 64 * D + 64 * D + 2 * D + 2 * D;
    expect(bytes.length).toBeGreaterThan(4 * floats);
    expect(bytes.length).toBeLessThan(4 * floats + 20_000);
    const session = loadOnnxRuntime()!.createSession(bytes, 1);
    const dims = [1, 3];
    const out = session.run(
      { input_ids: { data: BigInt64Array.of(2n, 20n, 3n), dims }, attention_mask: { data: BigInt64Array.of(1n, 1n, 1n), dims }, token_type_ids: { data: new BigInt64Array(3), dims } },
      'last_hidden_state',
    );
    expect(out.dims).toEqual([1, 3, 32]);
    session.release();
  });
});

it('names onnxruntime-node and the way out when a session cannot be made', () => {
  const real = loadOnnxRuntime()!;
  setOnnxRuntimeLoader(() => ({
    version: real.version,
    createSession: () => {
      throw new Error('Load model failed: invalid graph');
    },
  }));
  const encoder = new BertEncoder({ model: FIXTURES.bert });
  try {
    expect(() => encoder.encode({ tokens: [['Paris', '.']] }, false)).toThrow(
      /onnxruntime-node 1\.\d+\.\d+ did not take the BERT graph \(Load model failed: invalid graph\); setOnnxInference\(false\) runs inference in tfjs/,
    );
    setOnnxInference(false);
    const out = encoder.encode({ tokens: [['Paris', '.']] }, false);
    tf.dispose([out.hidden, out.mask, out.cls]);
  } finally {
    encoder.dispose();
  }
});
