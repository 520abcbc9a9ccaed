import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, expectNoLeak, initBackend, randomTensor, registry } from '@spanrel/tensor-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { filterSpans } from '../filter-spans.js';
import { maxAbsDiff, naiveDense } from '../test-support.js';
import { combinePhaseLogits } from './combine-phase-logits.js';
import { TwoPhaseEntityClassifier, entityPhaseOneMask } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** Index of the largest entry, the first one on ties. */
const argmax = (v: number[]): number => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** The paper's decision for one span, in plain JS: kept when σ(z1 - z0) > threshold, then the best type (class = type + 1), else 0. */
function naiveDecision(binary: number[], types: number[], threshold: number): number {
  return sigmoid(binary[1] - binary[0]) > threshold ? 1 + argmax(types) : 0;
}

describe('TwoPhaseEntityClassifier ("two-phase-entity-classifier.v1")', () => {
  const reps = randomTensor([2, 4, 6], 1) as tf.Tensor3D; // [B, S, D]

  it('phase one is W2 x + b2 over (not, entity), phase two W4 x + b4 over the types only', () => {
    const classifier = registry.build<TwoPhaseEntityClassifier>('two-phase-entity-classifier.v1', { inputDim: 6, numTypes: 3, seed: 2 });
    expect(classifier.config()).toEqual({ inputDim: 6, numTypes: 3, seed: 2, twoPhase: true, threshold: 0.5, dropout: 0.1, initStd: 0.02 });
    expect([classifier.outputDim, classifier.twoPhase]).toEqual([4, true]);
    expect([...classifier.parameters().keys()]).toEqual(['binary.kernel', 'binary.bias', 'types.kernel', 'types.bias']);
    const params = classifier.parameters();
    const [binary, types] = tf.tidy(() => {
      const phases = classifier.classifyPhases(reps, false);
      return [phases.binary.arraySync(), phases.types.arraySync()];
    });
    (reps.arraySync() as number[][][]).forEach((row, b) =>
      row.forEach((x, s) => {
        expect(maxAbsDiff(binary[b][s], naiveDense(x, params.get('binary.kernel')!.arraySync() as number[][], params.get('binary.bias')!.arraySync() as number[]))).toBeLessThan(1e-6);
        expect(maxAbsDiff(types[b][s], naiveDense(x, params.get('types.kernel')!.arraySync() as number[][], params.get('types.bias')!.arraySync() as number[]))).toBeLessThan(1e-6);
      }),
    );
    classifier.dispose();
  });

  it('classify folds the phases so that argmax (filterSpans) makes the two-phase decision', () => {
    for (const threshold of [0.5, 0.3, 0.8]) {
      const classifier = new TwoPhaseEntityClassifier({ inputDim: 6, numTypes: 3, initStd: 1, threshold, seed: 3 });
      const spanMask = tf.tensor2d([[1, 1, 1, 1], [1, 1, 0, 0]]);
      const { binary, types, logits } = tf.tidy(() => {
        const phases = classifier.classifyPhases(reps, false);
        return { binary: phases.binary.arraySync(), types: phases.types.arraySync(), logits: classifier.classify(reps, false) };
      });
      expect(logits.shape).toEqual([2, 4, 4]);
      const expected = binary.map((row, b) => row.map((z, s) => naiveDecision(z, types[b][s], threshold)));
      expect(tf.tidy(() => tf.argMax(logits, -1).arraySync())).toEqual(expected);
      const kept = filterSpans(logits, spanMask);
      const real = spanMask.arraySync();
      expect(kept.indices).toEqual(expected.map((row, b) => row.flatMap((cls, s) => (cls > 0 && real[b][s] ? [s] : []))));
      // The phase-one mask agrees with the folded logits.
      const mask = tf.tidy(() => {
        const phases = classifier.classifyPhases(reps, false);
        return entityPhaseOneMask(phases.binary, spanMask, threshold).arraySync();
      });
      expect(mask).toEqual(expected.map((row, b) => row.map((cls, s) => (cls > 0 && real[b][s] ? 1 : 0))));
      expect(new Set(expected.flat()).size).toBeGreaterThan(1); // both decisions occur
      tf.dispose([logits, spanMask]);
      classifier.dispose();
    }
  });

  it('twoPhase: false is a single softmax over none + types (w/o Two-Phase)', () => {
    const single = registry.build<TwoPhaseEntityClassifier>('two-phase-entity-classifier.v1', { inputDim: 6, numTypes: 3, twoPhase: false, seed: 4 });
    expect([...single.parameters().keys()]).toEqual(['single.kernel', 'single.bias']);
    expect([single.outputDim, single.twoPhase]).toEqual([4, false]);
    const kernel = single.parameters().get('single.kernel')!.arraySync() as number[][];
    const bias = single.parameters().get('single.bias')!.arraySync() as number[];
    const logits = tf.tidy(() => single.classify(reps, false).arraySync());
    (reps.arraySync() as number[][][]).forEach((row, b) => row.forEach((x, s) => expect(maxAbsDiff(logits[b][s], naiveDense(x, kernel, bias))).toBeLessThan(1e-6)));
    expect(() => single.classifyPhases(reps, false)).toThrow(/classifyPhases needs config.twoPhase = true/);
    const twin = registry.build<TwoPhaseEntityClassifier>(single.name, JSON.parse(JSON.stringify(single.config())));
    expect(tf.tidy(() => twin.classify(reps, false).arraySync())).toEqual(logits);
    [single, twin].forEach((m) => m.dispose());
  });

  it('applies dropout only while training, checks its config and input, has correct gradients and leaks nothing', () => {
    expect(() => new TwoPhaseEntityClassifier({ inputDim: 6, numTypes: 2, threshold: 1 })).toThrow('two-phase-entity-classifier.v1: config.threshold must be a number in (0, 1), got 1');
    expect(() => new TwoPhaseEntityClassifier({ inputDim: 6, numTypes: 2, twoPhase: 1 as never })).toThrow(/config.twoPhase must be true or false/);
    const classifier = new TwoPhaseEntityClassifier({ inputDim: 6, numTypes: 2, dropout: 0.5, initStd: 0.5, seed: 5 });
    expect(() => classifier.classify(randomTensor([2, 3, 5], 1) as tf.Tensor3D, false)).toThrow(/spanReps must be \[B, S, inputDim=6\], got \[2, 3, 5\]/);
    tf.tidy(() => {
      expect(classifier.classify(reps, false).arraySync()).toEqual(classifier.classify(reps, false).arraySync());
      expect(maxAbsDiff(classifier.classifyPhases(reps, true).binary.arraySync(), classifier.classifyPhases(reps, false).binary.arraySync())).toBeGreaterThan(1e-4);
    });
    checkGradients((x) => classifier.classifyPhases(x as tf.Tensor3D, false).binary, [reps]);
    checkGradients((x) => classifier.classifyPhases(x as tf.Tensor3D, false).types, [reps]);
    expectNoLeak(() => classifier.classify(reps, true));
    expectNoLeak(() => classifier.classifyPhases(reps, true));
    classifier.dispose();
  });
});

describe('combinePhaseLogits and entityPhaseOneMask', () => {
  it('match a naive loop on hand-made logits: ties with not-entity drop the span, ties among types take the first', () => {
    const binary = [
      [[0.3, 0.3], [1, 2], [2, 1], [0, 0.5]],
      [[-1, 4], [0, 0], [5, 5.0001], [3, -3]],
    ]; // [B=2, S=4, 2]
    const types = [
      [[0.5, 0.5, 0.1], [0.5, 0.5, 0.1], [1, 2, 3], [-1, -2, 3]],
      [[0, 2, 2], [9, 1, 1], [1, 0, 0], [0, 0, 1]],
    ]; // [B, S, 3]
    const spanMask = tf.tensor2d([[1, 1, 1, 1], [0, 1, 1, 1]]); // span (1, 0) would pass but is padding
    const real = spanMask.arraySync();
    const [binaryTensor, typesTensor] = [tf.tensor3d(binary), tf.tensor3d(types)];
    for (const threshold of [0.5, 0.6]) {
      const expected = binary.map((row, b) => row.map((z, s) => naiveDecision(z, types[b][s], threshold)));
      const combined = tf.tidy(() => tf.argMax(combinePhaseLogits(binaryTensor, typesTensor, threshold), -1).arraySync());
      expect(combined).toEqual(expected);
      const mask = tf.tidy(() => entityPhaseOneMask(binaryTensor as tf.Tensor3D, spanMask, threshold).arraySync());
      expect(mask).toEqual(expected.map((row, b) => row.map((cls, s) => (cls > 0 && real[b][s] ? 1 : 0))));
    }
    expect(binary.map((row, b) => row.map((z, s) => naiveDecision(z, types[b][s], 0.5)))).toEqual([[0, 1, 0, 3], [2, 0, 1, 0]]); // the cases covered
    expectNoLeak(() => combinePhaseLogits(binaryTensor, typesTensor, 0.5));
    expectNoLeak(() => entityPhaseOneMask(binaryTensor as tf.Tensor3D, spanMask));
    expect(() => entityPhaseOneMask(typesTensor as tf.Tensor3D, spanMask)).toThrow(/binaryLogits must be \[B, N, 2\]/);
    expect(() => entityPhaseOneMask(binaryTensor as tf.Tensor3D, spanMask, 0)).toThrow(/threshold must be a number in \(0, 1\)/);
    tf.dispose([binaryTensor, typesTensor, spanMask]);
  });
});
