import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LinearEntityClassifier, MlpEntityClassifier } from './index.js';
import { maxAbsDiff, naiveDense, naiveMlp } from './test-support.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const reps = randomTensor([2, 3, 6], 1) as tf.Tensor3D; // [B, S, D]

describe('LinearEntityClassifier ("linear-entity-classifier.v1")', () => {
  it('is SpERT`s softmax layer: W x + b over none + types, normal(0.02) weights, dropout 0.1', () => {
    const classifier = registry.build<LinearEntityClassifier>('linear-entity-classifier.v1', { inputDim: 6, numTypes: 4, seed: 2 });
    expect(classifier.config()).toEqual({ inputDim: 6, numTypes: 4, seed: 2, dropout: 0.1, initStd: 0.02 });
    expect(classifier.outputDim).toBe(5);
    const kernel = classifier.parameters().get('linear.kernel')!.arraySync() as number[][];
    const bias = classifier.parameters().get('linear.bias')!.arraySync() as number[];
    expect(bias).toEqual([0, 0, 0, 0, 0]);
    const std = Math.sqrt(kernel.flat().reduce((a, v) => a + v * v, 0) / 30);
    expect(std).toBeGreaterThan(0.01);
    expect(std).toBeLessThan(0.04);
    const logits = tf.tidy(() => classifier.classify(reps, false).arraySync());
    (reps.arraySync() as number[][][]).forEach((row, b) => row.forEach((x, s) => expect(maxAbsDiff(logits[b][s], naiveDense(x, kernel, bias))).toBeLessThan(1e-6)));
    classifier.dispose();
  });

  it('applies dropout to its input only while training', () => {
    const classifier = new LinearEntityClassifier({ inputDim: 6, numTypes: 2, dropout: 0.5, seed: 3 });
    tf.tidy(() => {
      expect(classifier.classify(reps, false).arraySync()).toEqual(classifier.classify(reps, false).arraySync());
      expect(maxAbsDiff(classifier.classify(reps, true).arraySync(), classifier.classify(reps, false).arraySync())).toBeGreaterThan(1e-4);
    });
    classifier.dispose();
  });

  it('checks its config and input, has correct gradients and leaks nothing', () => {
    expect(() => new LinearEntityClassifier({ inputDim: 6, numTypes: 0 })).toThrow(/linear-entity-classifier.v1: config.numTypes must be a positive integer/);
    expect(() => new LinearEntityClassifier({ inputDim: 6, numTypes: 2, dropout: 1 })).toThrow(/config.dropout must be a number in \[0, 1\)/);
    const classifier = new LinearEntityClassifier({ inputDim: 6, numTypes: 2 });
    expect(() => classifier.classify(randomTensor([2, 3, 5], 1) as tf.Tensor3D, false)).toThrow(/spanReps must be \[B, S, inputDim=6\], got \[2, 3, 5\]/);
    checkGradients((x) => classifier.classify(x as tf.Tensor3D, false), [reps]);
    expectNoLeak(() => classifier.classify(reps, true));
    classifier.dispose();
  });
});

describe('MlpEntityClassifier ("mlp-entity-classifier.v1")', () => {
  it('is Dixit`s MLP_ner (2 x 500 ReLU, dropout 0.2 by default) and matches a naive MLP', () => {
    expect(new MlpEntityClassifier({ inputDim: 6, numTypes: 7 }).config()).toEqual({ inputDim: 6, numTypes: 7, seed: 0, hiddenDims: [500, 500], dropout: 0.2, activation: 'relu' });
    const classifier = registry.build<MlpEntityClassifier>('mlp-entity-classifier.v1', { inputDim: 6, numTypes: 3, hiddenDims: [5, 4], seed: 4 });
    expect([...classifier.parameters().keys()]).toEqual(['mlp.layers.0.kernel', 'mlp.layers.0.bias', 'mlp.layers.1.kernel', 'mlp.layers.1.bias', 'mlp.layers.2.kernel', 'mlp.layers.2.bias']);
    const logits = tf.tidy(() => classifier.classify(reps, false).arraySync());
    const params = classifier.parameters();
    (reps.arraySync() as number[][][]).forEach((row, b) => row.forEach((x, s) => expect(maxAbsDiff(logits[b][s], naiveMlp(params, 'mlp.', x))).toBeLessThan(1e-5)));
    tf.tidy(() => {
      expect(maxAbsDiff(classifier.classify(reps, true).arraySync(), logits)).toBeGreaterThan(1e-4); // dropout 0.2 while training
    });
    const twin = registry.build<MlpEntityClassifier>('mlp-entity-classifier.v1', classifier.config());
    tf.tidy(() => {
      expect(twin.classify(reps, false).arraySync()).toEqual(logits);
    });
    expectNoLeak(() => classifier.classify(reps, true));
    classifier.dispose();
    twin.dispose();
  });

  it('takes another hidden activation (tanh: a naive tanh MLP), keeps it in its config and names a bad one', () => {
    const classifier = registry.build<MlpEntityClassifier>('mlp-entity-classifier.v1', { inputDim: 6, numTypes: 3, hiddenDims: [5, 4], seed: 4, activation: 'tanh' });
    const logits = tf.tidy(() => classifier.classify(reps, false).arraySync());
    const params = classifier.parameters();
    (reps.arraySync() as number[][][]).forEach((row, b) => row.forEach((x, s) => expect(maxAbsDiff(logits[b][s], naiveMlp(params, 'mlp.', x, Math.tanh))).toBeLessThan(1e-5)));
    // Not the ReLU network: some hidden pre-activation is negative.
    const relu = (reps.arraySync() as number[][][]).flatMap((row) => row.map((x) => maxAbsDiff(naiveMlp(params, 'mlp.', x, Math.tanh), naiveMlp(params, 'mlp.', x))));
    expect(Math.max(...relu)).toBeGreaterThan(1e-3);
    expect(classifier.config().activation).toBe('tanh');
    const twin = registry.build<MlpEntityClassifier>('mlp-entity-classifier.v1', classifier.config());
    tf.tidy(() => {
      expect(twin.classify(reps, false).arraySync()).toEqual(logits);
    });
    expect(() => new MlpEntityClassifier({ inputDim: 6, numTypes: 3, activation: 'swish' as never })).toThrow(/mlp-entity-classifier\.v1.*activation/);
    classifier.dispose();
    twin.dispose();
  });
});
