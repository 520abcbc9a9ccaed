/**
 * Every ablation flag and attention variant of the Ji 2020 and two-phase
 * presets, set in the config: the model builds, its parts have the documented
 * sizes and parameters, its outputs the documented shapes, and a training
 * step's loss is finite.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPairs, type Ji2020RelationHead } from '@spanrel/relation-heads';
import { spansToTensor } from '@spanrel/span-heads';
import { initBackend } from '@spanrel/tensor-core';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { trainingBatch } from '../training/train.js';
import { trainingLosses } from '../training/training-loss.js';
import { buildModel } from './build-model.js';
import type { JointModel } from './joint-model.js';
import { packSpanLabels } from './span-labels.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const D = 16; // tiny encoder: BiLSTM 2 x 8
const E = TINY_SCHEMA.entities.length; // 3
const R = TINY_SCHEMA.relations.length; // 3
const docs = tinyCorpus(4);
// Candidate spans of the first two sentences, and entity classes for the pairs' type features.
const spanLists: [number, number][][] = [
  [[0, 2], [2, 4], [4, 6], [0, 1]],
  [[0, 1], [3, 4]],
];
const classes = [[1, 2, 3, 0], [1, 3]];

interface Expected {
  /** Span head outputDim (= relationDim). */
  spanDim: number;
  /** Relation logits per pair. */
  relationOutputs: number;
  /** Parameter name prefixes that must exist / must not. */
  present: string[];
  absent: string[];
  /** Size of Ji 2020's R_r, when it applies. */
  representationDim?: number;
}

/** Builds the model of `presetName` + `overrides`, runs span, entity and relation forward passes and one training loss. */
async function check(presetName: 'ji2020' | 'twophase', overrides: Record<string, unknown>, expected: Expected): Promise<JointModel> {
  const spec = tinySpec(presetName, overrides);
  const model = await buildModel(spec, TINY_SCHEMA, docs);
  expect([model.spanHead.outputDim, model.spanHead.relationDim]).toEqual([expected.spanDim, expected.spanDim]);
  expect(model.relationHead.outputDim).toBe(expected.relationOutputs);
  const names = [...model.parameters().keys()];
  for (const prefix of expected.present) expect(names.some((n) => n.startsWith(prefix)), `${prefix} present`).toBe(true);
  for (const prefix of expected.absent) expect(names.some((n) => n.startsWith(prefix)), `${prefix} absent`).toBe(false);
  if (expected.representationDim !== undefined) expect((model.relationHead as Ji2020RelationHead).representationDim).toBe(expected.representationDim);

  const shapes = tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: docs.slice(0, 2).map((d) => [...d.tokens]) }, false);
    const { spans, spanMask } = spansToTensor(spanLists); // [2, 4, 2]
    const reps = model.spanHead.embed(enc, spans, spanMask, false);
    const entityLogits = model.entityClassifier.classify(reps, false);
    const pairs = allPairs(spans, spanMask, enc.hidden.shape[1], { spanLabels: packSpanLabels(classes, 4) });
    const relationLogits = model.relationHead.score(enc, model.spanHead.relationFeatures(reps), pairs, false);
    return { reps: reps.shape, entity: entityLogits.shape, relation: relationLogits.shape };
  });
  expect(shapes).toEqual({ reps: [2, 4, expected.spanDim], entity: [2, 4, E + 1], relation: [2, 12, expected.relationOutputs] });

  const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
  const loss = tf.tidy(() => trainingLosses(model, batch, undefined, spec.training.lossReduction, spec.training.loss).loss.dataSync()[0]);
  expect(Number.isFinite(loss) && loss > 0).toBe(true);
  return model;
}

describe('ji2020 flags (Tables 1, 3, 4)', () => {
  // R_s = [T_s; F_s; H_s; W] = 4D + width (4); R_r = [H_r (2 x 8); FFNN_F (4); FFNN_T (2)] with the D-relative FFNN defaults.
  const full = { spanDim: 4 * D + 4, relationOutputs: R, representationDim: 2 * 8 + 4 + 2 };

  it('the full model: span-specific and sentence-level span parts, local and sentence-level relation context, sigmoid relations', async () => {
    const model = await check('ji2020', {}, { ...full, present: ['spanHead.spanAttention.', 'spanHead.sentenceAttention.', 'relationHead.localAttention.', 'relationHead.sentenceAttention.'], absent: [] });
    expect(model.relationMode).toBe('multi-label');
    model.dispose();
  });

  it('spanHead.spanSpecific: false (-SpanSpecific): [F_s; H_s] becomes the max-pool, R_s = 2D + width', async () => {
    (await check('ji2020', { spanHead: { config: { spanSpecific: false } } }, { ...full, spanDim: 2 * D + 4, present: ['spanHead.sentenceAttention.'], absent: ['spanHead.spanAttention.'] })).dispose();
  });

  it('spanHead.sentenceLevel: false (-SentenceLevel): T_s becomes [CLS], same size, no sentence attention', async () => {
    (await check('ji2020', { spanHead: { config: { sentenceLevel: false } } }, { ...full, present: ['spanHead.spanAttention.'], absent: ['spanHead.sentenceAttention.'] })).dispose();
  });

  it('relationHead.local: false (-local): F_r becomes the max-pool of the context, still through FFNN_F', async () => {
    (await check('ji2020', { relationHead: { config: { local: false } } }, { ...full, present: ['relationHead.localFfn.'], absent: ['relationHead.localAttention.'] })).dispose();
  });

  it('relationHead.sentenceLevel: false (-SentenceLevel): FFNN_T(T_r) leaves R_r', async () => {
    (
      await check('ji2020', { relationHead: { config: { sentenceLevel: false } } }, { ...full, representationDim: 2 * 8 + 4, present: ['relationHead.localAttention.'], absent: ['relationHead.sentenceAttention.', 'relationHead.sentenceFfn.'] })
    ).dispose();
  });

  for (const attention of ['multi-head', 'additive', 'dot-product', 'general'] as const) {
    it(`attention: "${attention}" in both heads (SPAN_${attention})`, async () => {
      const model = await check('ji2020', { spanHead: { config: { attention } }, relationHead: { config: { attention } } }, { ...full, present: [], absent: [] });
      expect([model.spanHead.config(), model.relationHead.config()].map((c) => (c as { attention: string }).attention)).toEqual([attention, attention]);
      model.dispose();
    });
  }

  it('relationHead.relationActivation: "softmax" (section 3.2 literally): none + R logits, read as a softmax head', async () => {
    const model = await check('ji2020', { relationHead: { config: { relationActivation: 'softmax' } } }, { ...full, relationOutputs: R + 1, present: [], absent: [] });
    expect(model.relationMode).toBe('softmax');
    model.dispose();
  });
});

describe('twophase flags (Table 7)', () => {
  // Gated: E'_S has size D; the width embedding and the features are D-sized too.
  const full = { spanDim: D, relationOutputs: R + 1 };

  it('the full model: gated fusion, two phases, distance and type x type x distance features', async () => {
    const model = await check('twophase', {}, {
      ...full,
      present: ['spanHead.fusion.gate.', 'entityClassifier.binary.', 'entityClassifier.types.', 'relationHead.distance.', 'relationHead.typeDistance.', 'relationHead.binary.', 'relationHead.types.'],
      absent: ['entityClassifier.single.', 'relationHead.single.'],
    });
    expect(model.relationHead.config()).toMatchObject({ numEntityTypes: E }); // "auto" = the types file's count
    expect(model.relationMode).toBe('softmax');
    model.dispose();
  });

  it('twoPhase: false on both classifiers (w/o Two-Phase): one softmax over none + types, no distance embedding', async () => {
    const overrides = { entityClassifier: { config: { twoPhase: false } }, relationHead: { config: { twoPhase: false } } };
    (await check('twophase', overrides, { ...full, present: ['entityClassifier.single.', 'relationHead.single.', 'relationHead.typeDistance.'], absent: ['entityClassifier.binary.', 'relationHead.binary.', 'relationHead.distance.'] })).dispose();
  });

  it('relationHead.biFeatures: false (w/o Bi-Features): no distance embedding in phase one', async () => {
    (await check('twophase', { relationHead: { config: { biFeatures: false } } }, { ...full, present: ['relationHead.typeDistance.'], absent: ['relationHead.distance.'] })).dispose();
  });

  it('relationHead.multiFeatures: false (w/o Multi-Features): no type x type x distance embedding in phase two', async () => {
    (await check('twophase', { relationHead: { config: { multiFeatures: false } } }, { ...full, present: ['relationHead.distance.'], absent: ['relationHead.typeDistance.', 'relationHead.featureFusion.'] })).dispose();
  });

  it('gated: false on the span and relation heads (w/o gated): concatenation, E\'_S = [max-pool; CLS; width] = 3D', async () => {
    const overrides = { spanHead: { config: { gated: false } }, relationHead: { config: { gated: false } } };
    (await check('twophase', overrides, { ...full, spanDim: 3 * D, present: ['relationHead.binary.'], absent: ['spanHead.fusion.gate.', 'relationHead.relationFusion.gate.', 'relationHead.featureFusion.gate.'] })).dispose();
  });
});
