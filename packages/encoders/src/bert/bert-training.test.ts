import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { checkGradients, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { setOnnxInference } from '../onnx/onnx-inference-switch.js';
import { BertEncoder } from './bert-encoder.js';
import { geluTanh, hfActivation } from './hf-activation.js';
import './register.js';
import { FIXTURES, readReference } from './test-fixtures.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const BATCH = { tokens: readReference(FIXTURES.bert).sentences.map((s) => s.words) };

/** `sum(hidden * R1) + sum(cls * R2)` with fixed random weights, so no gradient cancels. */
function lossOf(encoder: BertEncoder, batch: { tokens: string[][] }, training: boolean, r: { hidden: tf.Tensor; cls: tf.Tensor }): tf.Scalar {
  const { hidden, mask, cls } = encoder.encode(batch, training);
  mask.dispose();
  return tf.add(tf.sum(tf.mul(hidden, r.hidden)), tf.sum(tf.mul(cls, r.cls))) as tf.Scalar;
}

describe.each([
  ['bert', FIXTURES.bert],
  ['albert', FIXTURES.albert],
] as const)('fine-tuning tiny-%s', (_family, folder) => {
  const encoder = new BertEncoder({ model: folder, seed: 3 });
  const sub = encoder.tokenize(BATCH);
  const r = {
    hidden: randomTensor([BATCH.tokens.length, sub.numWords, encoder.outputDim], 1), // [B, T, D]
    cls: randomTensor([BATCH.tokens.length, encoder.outputDim], 2), // [B, D]
  };
  afterAll(() => {
    encoder.dispose();
    tf.dispose([r.hidden, r.cls]);
  });

  it('gives every parameter a non-zero gradient (key biases: 0, as softmax ignores a per-query shift)', () => {
    const params = encoder.parameters();
    const { grads } = tf.variableGrads(() => lossOf(encoder, BATCH, true, r), [...params.values()]);
    const byName = new Map([...params].map(([name, v]) => [name, grads[v.name]]));
    for (const [name, g] of byName) {
      expect(g, name).toBeDefined();
      const largest = tf.max(tf.abs(g)).dataSync()[0];
      // q . (k + b_k) = q . k + q . b_k: the same shift for every key of a query, which softmax removes.
      if (name.endsWith('attention.key.bias')) expect(largest, name).toBeLessThan(1e-4);
      else expect(largest, name).toBeGreaterThan(1e-6);
    }
    expect(byName.size).toBeGreaterThan(20);
    tf.dispose(Object.values(grads));
  });

  it('layer gradients w.r.t. the input match finite differences (attention, LayerNorm, activation)', () => {
    const layer = encoder.bert.layers[0];
    const x = randomTensor([1, 3, encoder.outputDim], 7); // [B, N, D]
    const keyMask = tf.tensor2d([[1, 1, 0]]); // [B, N] the last sub-word is padding
    expect(() => checkGradients((input) => layer.apply(input as tf.Tensor3D, keyMask, false), [x], { eps: 1e-2, tol: 2e-2, atol: 2e-3 })).not.toThrow();
    tf.dispose([x, keyMask]);
  });

  it('applies dropout only when training, reproducibly from the seed, and not at rate 0', () => {
    // The tfjs module's own inference, bit for bit (the ONNX path equals it to 1e-5: bert-onnx.test.ts).
    setOnnxInference(false);
    onTestFinished(() => setOnnxInference(true));
    const evalA = encoder.encode(BATCH, false);
    const evalB = encoder.encode(BATCH, false);
    const train = encoder.encode(BATCH, true);
    expect(evalA.hidden.arraySync()).toEqual(evalB.hidden.arraySync());
    expect(tf.max(tf.abs(tf.sub(train.hidden, evalA.hidden))).dataSync()[0]).toBeGreaterThan(1e-2);

    const twinA = new BertEncoder({ ...encoder.config(), model: folder });
    const twinB = new BertEncoder({ ...encoder.config(), model: folder });
    const noisyA = twinA.encode(BATCH, true);
    const noisyB = twinB.encode(BATCH, true);
    expect(noisyA.hidden.arraySync()).toEqual(noisyB.hidden.arraySync()); // same seed, same masks

    const noDropout = new BertEncoder({ model: folder, hiddenDropout: 0, attentionDropout: 0 });
    const plain = noDropout.encode(BATCH, true);
    expect(plain.hidden.arraySync()).toEqual(evalA.hidden.arraySync());
    tf.dispose([evalA, evalB, train, noisyA, noisyB, plain].flatMap((o) => [o.hidden, o.mask, o.cls]));
    [twinA, twinB, noDropout].forEach((e) => e.dispose());
  });

  it('trainable = false freezes every variable, and the config says so', () => {
    const frozen = registry.build<BertEncoder>('bert-encoder.v1', { model: folder, trainable: false });
    expect([...frozen.parameters().values()].every((v) => !v.trainable)).toBe(true);
    expect(frozen.config().trainable).toBe(false);
    frozen.trainable = true;
    expect([...frozen.parameters().values()].every((v) => v.trainable)).toBe(true);
    frozen.trainable = false;
    // tf.variableGrads without a list differentiates trainable variables only: none of the frozen encoder's.
    const probe = tf.variable(tf.scalar(1));
    const { grads } = tf.variableGrads(() => tf.add(tf.sum(frozen.encode({ tokens: [['Paris']] }, false).cls), probe) as tf.Scalar);
    const frozenNames = new Set([...frozen.parameters().values()].map((v) => v.name));
    expect(Object.keys(grads).some((n) => frozenNames.has(n))).toBe(false);
    expect(Object.keys(grads)).toContain(probe.name);
    tf.dispose(Object.values(grads));
    probe.dispose();
    frozen.dispose();
  });
});

describe('hidden_act', () => {
  it('gelu_new is the tanh approximation and gelu the erf GELU (hand-computed values)', () => {
    const x = tf.tensor1d([-2, -0.5, 0, 1, 3]);
    const tanhApprox = (v: number) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)));
    // erf GELU values from Python: 0.5 * x * (1 + math.erf(x / math.sqrt(2)))
    const exact = [-0.04550026389635842, -0.15426876936299344, 0, 0.8413447460685429, 2.99595030590511];
    expect(Array.from(geluTanh(x).dataSync()).map((v, i) => v - tanhApprox([-2, -0.5, 0, 1, 3][i])).every((d) => Math.abs(d) < 1e-6)).toBe(true);
    expect(Array.from(hfActivation(x, 'gelu').dataSync()).every((v, i) => Math.abs(v - exact[i]) < 1e-5)).toBe(true);
    expect(Array.from(hfActivation(x, 'silu').dataSync())[3]).toBeCloseTo(1 / (1 + Math.exp(-1)), 6);
    x.dispose();
  });
});
