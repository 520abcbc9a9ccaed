import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, trainStep } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { makeOptimizer } from './make-optimizer.js';
import { trainingBatch } from './train.js';
import { trainingLosses } from './training-loss.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

for (const presetName of ['spert', 'dixit'] as const) {
  describe(`${presetName} training forward`, () => {
    it('reduces the loss of a fixed batch in a few steps, without leaking tensors', async () => {
      // No dropout, so the loss of the batch is a function of the weights only.
      const spec = tinySpec(presetName, {}, { dropout: false });
      const docs = tinyCorpus(8);
      const model = await buildModel(spec, TINY_SCHEMA, docs);
      const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
      const sampling = spec.training.sampling.strategy === 'all-spans' ? spec.training.sampling : undefined;
      const lossOf = () => tf.tidy(() => trainingLosses(model, batch, sampling, spec.training.lossReduction).loss.dataSync()[0]);
      const optimizer = makeOptimizer(model.parameters(), { ...spec.training.optimizer, lr: { kind: 'constant', lr: 1e-2 } }, 100);
      const before = lossOf();
      const losses: number[] = [];
      let tensorsAfterFirst = 0;
      for (let step = 0; step < 12; step++) {
        losses.push(
          trainStep(model.parameters(), () => trainingLosses(model, batch, sampling, spec.training.lossReduction).loss, optimizer, spec.training.clipNorm ? { clip: spec.training.clipNorm } : {}),
        );
        if (step === 1) tensorsAfterFirst = tf.memory().numTensors; // optimizer moments exist from step 1 on
      }
      expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
      expect(losses[0]).toBeCloseTo(before, 4); // trainStep reports the loss before its update
      const after = lossOf();
      expect(after).toBeLessThan(0.6 * before);
      optimizer.dispose();
      model.dispose();
    });

    it('gives entity and relation losses that add up, and a relation loss of 0 for a batch without relation samples', async () => {
      const spec = tinySpec(presetName, {}, { dropout: false });
      const docs = tinyCorpus(4);
      const model = await buildModel(spec, TINY_SCHEMA, docs);
      const sampling = spec.training.sampling.strategy === 'all-spans' ? spec.training.sampling : undefined;
      const values = tf.tidy(() => {
        const l = trainingLosses(model, trainingBatch(spec, TINY_SCHEMA, docs, 0, 0), sampling, spec.training.lossReduction);
        return [l.loss, l.entityLoss, l.relationLoss].map((t) => t.dataSync()[0]);
      });
      expect(Math.abs(values[0] - (values[1] + values[2]))).toBeLessThan(1e-6 * Math.abs(values[0]));
      expect(values[1]).toBeGreaterThan(0);
      // The 4th template has one entity and no relation: no relation sample at all.
      const lonely = tinyCorpus(4).slice(3, 4);
      expect(lonely[0].relations).toEqual([]);
      const relation = tf.tidy(() => trainingLosses(model, trainingBatch(spec, TINY_SCHEMA, lonely, 0, 0), { strategy: 'all-spans', relationCandidates: 'selected', maxSelectedSpans: 1 }, spec.training.lossReduction).relationLoss.dataSync()[0]);
      expect(relation).toBe(0);
      model.dispose();
    });
  });
}
