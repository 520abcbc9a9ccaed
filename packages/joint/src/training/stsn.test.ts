/**
 * The STSN path of the joint model: the preset's settings, the training loss
 * `L_L + L_E + L_R` against a plain-JS loss computed from the components' own
 * outputs (gold tags from the documents), a few optimizer steps that reduce it,
 * the tag vocabulary saved with the model (save / load gives identical
 * predictions), and every ablation flag building and running.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesToExtendedBioTags, type Document } from '@spanrel/datasets';
import { pairsToBatch } from '@spanrel/relation-heads';
import { spansToTensor, STSN_HYPERPARAMETERS, StsnTagger, StsnTokenInteraction } from '@spanrel/span-heads';
import { disposeNamedTensors, initBackend, loadSafetensors, trainStep } from '@spanrel/tensor-core';
import { checkSpec } from '../config/check-spec.js';
import { preset, withEncoder } from '../config/presets.js';
import { stsnPreset } from '../config/stsn-preset.js';
import { loadModel, saveModel } from '../io/model-folder.js';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { lossStrategy } from './loss-strategy.js';
import { makeOptimizer } from './make-optimizer.js';
import { CHECKPOINT_DIR, readTrainerState } from './checkpoint.js';
import { train, trainingBatch, type TrainOptions } from './train.js';
import type { SampledBatch } from './training-batch.js';
import { trainingLosses } from './training-loss.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-joint-stsn-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const logSoftmax = (v: number[], k: number) => {
  const m = Math.max(...v);
  return v[k] - m - Math.log(v.reduce((acc, x) => acc + Math.exp(x - m), 0));
};
const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);

/** The extended BIO tags of each document, straight from its entities. */
const docTags = (docs: readonly Document[]) => docs.map((d) => entitiesToExtendedBioTags(d.tokens.length, d.entities));

describe('stsn preset', () => {
  it('is known by name and carries the paper\'s settings (section 4.1), with the BiLSTM peak lr 1e-3 and 5e-5 for BERT', () => {
    const spec = preset('stsn');
    expect(spec).toEqual(stsnPreset());
    checkSpec(spec);
    const H = STSN_HYPERPARAMETERS;
    // With the BiLSTM: pre-LN units and the stack at 0.1 x the lr (see stsnPreset); BERT gets the paper's post-LN and one lr.
    expect(spec.tokenInteraction).toEqual({ name: StsnTokenInteraction.kind, config: { numLayers: 4, numHeads: 8, dropout: 0.1, erla: true, attentionLayers: true, norm: 'pre', inputLayerNorm: true } });
    expect(spec.training.optimizer.lrMultipliers).toEqual({ 'tokenInteraction.': 0.1 });
    expect(spec.tagger?.name).toBe(StsnTagger.kind);
    expect(spec.tagger?.config.labelDim).toBe(150);
    expect(spec.spanHead).toEqual({ name: 'stsn-span-head.v1', config: { widthDim: 150 } });
    expect(spec.relationHead.name).toBe('stsn-relation-head.v1');
    expect(spec.relationHead.config.threshold).toBe(0.4);
    expect(spec.training.loss).toEqual({ kind: 'stsn' });
    expect(spec.training.batchSize).toBe(4);
    expect(spec.training.epochs).toBe(100);
    expect(spec.training.sampling).toEqual({ strategy: 'spert', negativeEntities: 100, negativeRelations: 100, maxWidth: 10 });
    expect(spec.training.optimizer.weightDecay).toBe(0.01);
    expect(spec.training.optimizer.lr).toEqual({ kind: 'linear-warmup-decay', peakLr: 1e-3, warmupProportion: 0.1 });
    expect(spec.maxSpanWidth).toBe(H.maxSpanWidth);
    const bert = withEncoder(spec, 'bert:some-model');
    expect(bert.training.optimizer.lr).toEqual({ kind: 'linear-warmup-decay', peakLr: H.learningRate, warmupProportion: 0.1 });
    expect(bert.tagger).toEqual(spec.tagger);
    expect(bert.tokenInteraction?.config.norm).toBe('post');
    expect(bert.tokenInteraction?.config.inputLayerNorm).toBe(false);
    expect(bert.training.optimizer.lrMultipliers).toBeUndefined();
    checkSpec(bert);
  });

  it('a spec with a token interaction but no tagger is refused, naming both', () => {
    const { tagger: _dropped, ...spec } = stsnPreset();
    expect(() => checkSpec(spec, 'run.json')).toThrow(/run\.json: .*tokenInteraction is set without tagger/);
  });
});

/** The STSN components' own outputs on a sampled batch with gold tags (training mode; the tiny spec without dropout), read back to JS. */
function forward(model: JointModel, batch: SampledBatch, goldTags: string[][]) {
  const interaction = model.tokenInteraction!;
  const tagger = model.tagger!;
  return tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: batch.tokens }, true);
    const seqLen = enc.hidden.shape[1];
    const views = interaction.apply(enc.hidden, enc.mask, true);
    const tagLogits = tagger.logits(views.label);
    const goldIds = tagger.vocabulary.encodeBatch(goldTags, seqLen);
    const { entity, relation } = tagger.decoderInputs(views, goldIds, enc.mask);
    const { spans, spanMask } = spansToTensor(batch.entitySpans);
    const numSpans = spans.shape[1];
    const labels = tf.tensor2d(batch.entityLabels.flatMap((l) => [...l, ...new Array(numSpans - l.length).fill(0)]), [batch.tokens.length, numSpans], 'int32');
    const reps = model.spanHead.embed(entity, spans, spanMask, true);
    const relReps = model.spanHead.relationFeatures(model.spanHead.embed(relation, spans, spanMask, true));
    const pairs = pairsToBatch(spans, batch.relationPairs, seqLen, { spanLabels: labels });
    return {
      tags: tagLogits.arraySync(),
      tagIds: goldIds.arraySync(),
      entity: model.entityClassifier.classify(reps, true).arraySync(),
      relation: model.relationHead.score(relation, relReps, pairs, true).arraySync(),
    };
  });
}

describe('stsn training', () => {
  it('the loss is L_L + L_E + L_R with gold tags behind the label embeddings (a naive loss from the logits)', async () => {
    const spec = tinySpec('stsn', {}, { dropout: false });
    const docs = tinyCorpus(4);
    const model = await buildModel(spec, TINY_SCHEMA, docs);
    const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
    if (batch.kind !== 'sampled') throw new Error('a sampled batch was expected');
    const gold = docTags(docs);
    const { tags, tagIds, entity, relation } = forward(model, batch, gold);
    const tagLoss = mean(gold.flatMap((sentence, b) => sentence.map((_, t) => -logSoftmax(tags[b][t], tagIds[b][t]))));
    const entityLoss = mean(batch.entityLabels.flatMap((labels, b) => labels.map((label, s) => -logSoftmax(entity[b][s], label))));
    const relationLoss = mean(
      batch.relationTypes.flatMap((perPair, b) => perPair.map((types, p) => mean(relation[b][p].map((z, r) => softplus(z) - (types.includes(r) ? z : 0))))),
    );
    const got = tf.tidy(() => {
      const l = trainingLosses(model, batch, undefined, spec.training.lossReduction, spec.training.loss);
      return [l.loss, l.entityLoss, l.relationLoss, l.tagLoss!].map((t) => t.dataSync()[0]);
    });
    expect(got[3]).toBeCloseTo(tagLoss, 5);
    expect(got[1]).toBeCloseTo(entityLoss, 5);
    expect(got[2]).toBeCloseTo(relationLoss, 5);
    expect(got[0]).toBeCloseTo(tagLoss + entityLoss + relationLoss, 5);
    model.dispose();
  });

  it('the loss strategies check the STSN parts, naming training.loss', async () => {
    const docs = tinyCorpus(4);
    const stsn = await buildModel(tinySpec('stsn'), TINY_SCHEMA, docs);
    const spert = await buildModel(tinySpec('spert'), TINY_SCHEMA, docs);
    expect(() => lossStrategy({ kind: 'stsn' }).check(spert)).toThrow(/training\.loss\.kind "stsn" needs the STSN parts/);
    expect(() => lossStrategy({ kind: 'weighted-sum', entityWeight: 1, relationWeight: 1 }).check(stsn)).toThrow(/training\.loss\.kind "weighted-sum" does not train the model's STSN tagger/);
    expect(() => lossStrategy({ kind: 'stsn' }).check(stsn)).not.toThrow();
    stsn.dispose();
    spert.dispose();
  });
});

describe('stsn model', () => {
  it('builds its tag vocabulary from the training data and saves it: save -> load gives the same config, weights and predictions', async () => {
    const docs = tinyCorpus(8);
    const model = await buildModel(tinySpec('stsn', { maxSpanWidth: 4 }), TINY_SCHEMA, docs);
    // The tags: "O" first, then every tag of the training documents (sorted as the vocabulary sorts them).
    const tags = model.tagger!.config().tags;
    expect(tags[0]).toBe('O');
    expect(new Set(tags)).toEqual(new Set(['O', ...docTags(docs).flat()]));
    expect(model.spanHead.inputDim).toBe(16 + 4); // views [H_E; label emb]
    // Move the weights away from their initial values, so that loading cannot pass by rebuilding the same init.
    let seed = 100;
    for (const v of model.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed++)));
    expect([...model.parameters().keys()].some((k) => k.startsWith('tokenInteraction.'))).toBe(true);
    expect([...model.parameters().keys()].some((k) => k.startsWith('tagger.'))).toBe(true);
    const dir = join(root, 'stsn');
    await saveModel(model, dir);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).tagger.config.tags).toEqual(tags);
    const loaded = await loadModel(dir);
    expect(loaded.config()).toEqual(model.config());
    const original = model.parameters();
    expect([...loaded.parameters().keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, v] of loaded.parameters()) expect(Array.from(v.dataSync())).toEqual(Array.from(original.get(name)!.dataSync()));
    const tensorsBefore = tf.memory().numTensors;
    const before = model.predict(docs);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(before.some((d) => d.entities.length > 0)).toBe(true);
    expect(loaded.predict(docs)).toEqual(before);
    model.dispose();
    loaded.dispose();
  });

  const ablations: [string, Record<string, unknown>, (m: JointModel) => void][] = [
    ['numLayers: 2', { tokenInteraction: { config: { numLayers: 2 } } }, (m) => expect(m.tokenInteraction!.config().numLayers).toBe(2)],
    ['-E&R-L-A (erla: false)', { tokenInteraction: { config: { erla: false } } }, (m) => expect(m.tokenInteraction!.config().erla).toBe(false)],
    ['-AttentionLayer (attentionLayers: false)', { tokenInteraction: { config: { attentionLayers: false } } }, (m) => expect(m.tokenInteraction!.config().attentionLayers).toBe(false)],
    // Without label embeddings the heads read the 16-dim views alone.
    ['-LabelEmbedding (labelEmbedding: false)', { tagger: { config: { labelEmbedding: false } } }, (m) => expect(m.spanHead.inputDim).toBe(16)],
  ];
  for (const [what, overrides, checkBuilt] of ablations) {
    it(`ablation ${what} builds, trains one step and decodes`, async () => {
      const spec = tinySpec('stsn', { ...overrides, maxSpanWidth: 4 });
      const docs = tinyCorpus(4);
      const model = await buildModel(spec, TINY_SCHEMA, docs);
      checkBuilt(model);
      const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
      const optimizer = makeOptimizer(model.parameters(), { ...spec.training.optimizer, lr: { kind: 'constant', lr: 1e-2 } }, 10);
      const loss = trainStep(model.parameters(), () => trainingLosses(model, batch, undefined, spec.training.lossReduction, spec.training.loss).loss, optimizer, {});
      expect(Number.isFinite(loss)).toBe(true);
      const out = model.predict(docs);
      expect(out.map((d) => d.tokens)).toEqual(docs.map((d) => d.tokens));
      optimizer.dispose();
      model.dispose();
    });
  }
});

describe('stsn training run', () => {
  it('resumed after a kill, ends with the same weights as an uninterrupted run (the interaction\'s dropout generators are checkpointed)', async () => {
    // 8 sentences in batches of 4, 2 epochs = 4 steps, a checkpoint every 2 steps; dropout on.
    const spec = tinySpec('stsn', { maxSpanWidth: 4 });
    const options = (outDir: string): TrainOptions => ({ spec, schema: TINY_SCHEMA, train: tinyCorpus(8, 3), dev: tinyCorpus(2, 8), outDir });
    const weights = async (dir: string) => {
      const { tensors } = await loadSafetensors(join(dir, CHECKPOINT_DIR, 'weights.safetensors'));
      const out = new Map([...tensors].map(([name, t]) => [name, Array.from(t.dataSync())]));
      disposeNamedTensors(tensors);
      return out;
    };
    const straight = await train(options(join(root, 'run-straight')));
    expect(straight.globalStep).toBe(4);
    straight.model.dispose();
    const outDir = join(root, 'run-killed');
    await expect(
      train({
        ...options(outDir),
        afterStep: (info) => {
          if (info.globalStep === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(readTrainerState(outDir)).toMatchObject({ globalStep: 2 });
    expect(Object.keys(readTrainerState(outDir).rngStates).some((path) => path.startsWith('tokenInteraction'))).toBe(true);
    const resumed = await train({ ...options(outDir), resume: true });
    expect(resumed.globalStep).toBe(4);
    resumed.model.dispose();
    expect(await weights(outDir)).toEqual(await weights(join(root, 'run-straight')));
  });
});
