/**
 * The Ji 2020 and two-phase training paths: ratio sampling, the weighted loss
 * (0.4 L_s + 0.6 L_r) and the two-phase loss (four terms, gold types on the
 * pairs), each checked against plain-JS losses computed from the components'
 * own outputs; and a few optimizer steps that reduce the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pairsToBatch, TwoPhaseRelationHead } from '@spanrel/relation-heads';
import { spansToTensor, TwoPhaseEntityClassifier } from '@spanrel/span-heads';
import { initBackend, trainStep } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { lossStrategy } from './loss-strategy.js';
import { makeOptimizer } from './make-optimizer.js';
import { trainingBatch } from './train.js';
import type { SampledBatch } from './training-batch.js';
import { trainingLosses } from './training-loss.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logSoftmax = (v: number[], k: number) => {
  const m = Math.max(...v);
  return v[k] - m - Math.log(v.reduce((acc, x) => acc + Math.exp(x - m), 0));
};
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
/** Binary cross-entropy of two sigmoid logits (not, is) against "is" = `positive`, summed over the two. */
const binaryLoss = (z: number[], positive: boolean) => softplus(z[0]) - (positive ? 0 : z[0]) + softplus(z[1]) - (positive ? z[1] : 0);

/** The components' own outputs on a sampled batch (training mode, no dropout), read back to JS. */
function forward(model: JointModel, batch: SampledBatch) {
  return tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: batch.tokens }, true);
    const { spans, spanMask } = spansToTensor(batch.entitySpans);
    const numSpans = spans.shape[1];
    const labels = tf.tensor2d(batch.entityLabels.flatMap((l) => [...l, ...new Array(numSpans - l.length).fill(0)]), [batch.tokens.length, numSpans], 'int32');
    const reps = model.spanHead.embed(enc, spans, spanMask, true);
    const pairs = pairsToBatch(spans, batch.relationPairs, enc.hidden.shape[1], { spanLabels: labels });
    const relReps = model.spanHead.relationFeatures(reps);
    const out: Record<string, number[][][]> = {};
    if (model.entityClassifier instanceof TwoPhaseEntityClassifier && model.relationHead instanceof TwoPhaseRelationHead) {
      const e = model.entityClassifier.classifyPhases(reps, true);
      const r = model.relationHead.scorePhases(enc, relReps, pairs, true);
      Object.assign(out, { entityBinary: e.binary.arraySync(), entityTypes: e.types.arraySync(), relationBinary: r.binary.arraySync(), relationTypes: r.types.arraySync() });
    } else {
      Object.assign(out, { entity: model.entityClassifier.classify(reps, true).arraySync(), relation: model.relationHead.score(enc, relReps, pairs, true).arraySync() });
    }
    return out;
  });
}

describe('ji2020 training', () => {
  it('samples 30 x gold negatives per sentence and weighs the losses 0.4 L_s + 0.6 L_r (a naive loss from the logits)', async () => {
    const spec = tinySpec('ji2020', {}, { dropout: false });
    expect(spec.training.sampling).toEqual({ strategy: 'ratio', ratio: 30, maxWidth: 10 });
    const docs = tinyCorpus(4);
    const model = await buildModel(spec, TINY_SCHEMA, docs);
    const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
    if (batch.kind !== 'sampled') throw new Error('a sampled batch was expected');
    docs.forEach((doc, b) => {
      // Candidates: every span of <= 10 words that is not an entity; min(30 x gold, candidates) are drawn.
      const n = doc.tokens.length;
      let spans = 0;
      for (let w = 1; w <= Math.min(n, 10); w++) spans += n - w + 1;
      const candidates = spans - doc.entities.length;
      expect(batch.entitySpans[b].length - doc.entities.length).toBe(Math.min(30 * doc.entities.length, candidates));
      const goldPairs = doc.entities.length * (doc.entities.length - 1) - doc.relations.length * (doc.relations[0]?.type === 'Sibling_Of' ? 2 : 1);
      expect(batch.relationPairs[b].length - doc.relations.length).toBe(Math.min(30 * doc.relations.length, goldPairs));
    });

    const { entity, relation } = forward(model, batch);
    const entityLoss = mean(batch.entityLabels.flatMap((labels, b) => labels.map((label, s) => -logSoftmax(entity[b][s], label))));
    const relationLoss = mean(
      batch.relationTypes.flatMap((perPair, b) =>
        perPair.map((types, p) => mean(relation[b][p].map((z, r) => softplus(z) - (types.includes(r) ? z : 0)))),
      ),
    );
    const got = tf.tidy(() => {
      const l = trainingLosses(model, batch, undefined, spec.training.lossReduction, spec.training.loss);
      return [l.loss, l.entityLoss, l.relationLoss].map((t) => t.dataSync()[0]);
    });
    expect(got[1]).toBeCloseTo(entityLoss, 5);
    expect(got[2]).toBeCloseTo(relationLoss, 5);
    expect(got[0]).toBeCloseTo(0.4 * entityLoss + 0.6 * relationLoss, 5);
    model.dispose();
  });
});

describe('twophase training', () => {
  it('adds the four phase losses (entity phase one per gold entity), with the gold entity types on the relation pairs (a naive loss from the phase logits)', async () => {
    const spec = tinySpec('twophase', {}, { dropout: false });
    const docs = tinyCorpus(4);
    const model = await buildModel(spec, TINY_SCHEMA, docs);
    const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
    if (batch.kind !== 'sampled') throw new Error('a sampled batch was expected');
    const { entityBinary, entityTypes, relationBinary, relationTypes } = forward(model, batch);
    // Entity phase one: summed over the samples, divided by the number of gold entities (not of samples).
    const entityTerms = batch.entityLabels.flatMap((labels, b) => labels.map((label, s) => binaryLoss(entityBinary[b][s], label > 0)));
    const goldEntities = batch.entityLabels.flat().filter((label) => label > 0).length;
    expect(goldEntities).toBeGreaterThan(0);
    expect(goldEntities).toBeLessThan(entityTerms.length);
    const entityPhaseOne = entityTerms.reduce((a, v) => a + v, 0) / goldEntities;
    const entityPhaseTwo = mean(batch.entityLabels.flatMap((labels, b) => labels.flatMap((label, s) => (label > 0 ? [-logSoftmax(entityTypes[b][s], label - 1)] : []))));
    const relationPhaseOne = mean(batch.relationTypes.flatMap((perPair, b) => perPair.map((types, p) => binaryLoss(relationBinary[b][p], types.length > 0))));
    const relationPhaseTwo = mean(batch.relationTypes.flatMap((perPair, b) => perPair.flatMap((types, p) => (types.length > 0 ? [-logSoftmax(relationTypes[b][p], types[0])] : []))));
    expect(entityPhaseTwo).toBeGreaterThan(0);
    expect(relationPhaseTwo).toBeGreaterThan(0);
    const got = tf.tidy(() => {
      const l = trainingLosses(model, batch, undefined, spec.training.lossReduction, spec.training.loss);
      return [l.loss, l.entityLoss, l.relationLoss].map((t) => t.dataSync()[0]);
    });
    expect(got[1]).toBeCloseTo(entityPhaseOne + entityPhaseTwo, 5);
    expect(got[2]).toBeCloseTo(relationPhaseOne + relationPhaseTwo, 5);
    expect(got[0]).toBeCloseTo(got[1] + got[2], 5);

    // The pairs must carry gold types: with every span labelled "none" the type x type x distance features change the phase-two logits.
    const noneTypes = tf.tidy(() => {
      const enc = model.encoder.encode({ tokens: batch.tokens }, true);
      const { spans, spanMask } = spansToTensor(batch.entitySpans);
      const reps = model.spanHead.embed(enc, spans, spanMask, true);
      const pairs = pairsToBatch(spans, batch.relationPairs, enc.hidden.shape[1], { spanLabels: tf.cast(tf.zerosLike(spanMask), 'int32') as tf.Tensor2D });
      return (model.relationHead as TwoPhaseRelationHead).scorePhases(enc, reps, pairs, true).types.arraySync();
    });
    expect(Math.max(...noneTypes.flat(2).map((x, i) => Math.abs(x - relationTypes.flat(2)[i])))).toBeGreaterThan(1e-6);
    model.dispose();
  });

  it('refuses components that have no phases, naming training.loss', async () => {
    const spec = tinySpec('spert');
    const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(4));
    expect(() => lossStrategy({ kind: 'two-phase' }).check(model)).toThrow(
      /training\.loss\.kind "two-phase" needs the two-phase components: the entity classifier is linear-entity-classifier\.v1.*the relation head is spert-relation-head\.v1/,
    );
    model.dispose();
  });
});

for (const presetName of ['ji2020', 'twophase', 'stsn'] as const) {
  it(`${presetName}: a few optimizer steps reduce the loss of a fixed batch, without leaking tensors`, async () => {
    const spec = tinySpec(presetName, {}, { dropout: false });
    const docs = tinyCorpus(8);
    const model = await buildModel(spec, TINY_SCHEMA, docs);
    const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
    const { lossReduction, loss } = spec.training;
    const lossOf = () => tf.tidy(() => trainingLosses(model, batch, undefined, lossReduction, loss).loss.dataSync()[0]);
    const optimizer = makeOptimizer(model.parameters(), { ...spec.training.optimizer, lr: { kind: 'constant', lr: 1e-2 } }, 100);
    const before = lossOf();
    let tensorsAfterSecond = 0;
    for (let step = 0; step < 10; step++) {
      trainStep(model.parameters(), () => trainingLosses(model, batch, undefined, lossReduction, loss).loss, optimizer, { clip: 1 });
      if (step === 1) tensorsAfterSecond = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterSecond);
    expect(lossOf()).toBeLessThan(0.6 * before);
    optimizer.dispose();
    model.dispose();
  });
}
