/**
 * The named model variants: every name resolves to a checked spec that differs
 * from its preset in exactly the fields of the paper's ablation (compared leaf
 * by leaf against a hand-written table), builds a tiny model whose components
 * carry the flags, whose forward outputs have the documented shapes and whose
 * loss and predict run; unknown names are refused with the list.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { allPairs, type Ji2020RelationHead } from '@spanrel/relation-heads';
import { spansToTensor } from '@spanrel/span-heads';
import { initBackend } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import { decoderViews, relationSpanReps } from '../model/decoder-views.js';
import type { JointModel } from '../model/joint-model.js';
import { packSpanLabels } from '../model/span-labels.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { trainingBatch } from '../training/train.js';
import { trainingLosses } from '../training/training-loss.js';
import { checkSpec } from './check-spec.js';
import { preset, PRESET_NAMES, type PresetName } from './presets.js';
import { VARIANT_NAMES, resolveVariant, variantFolderName, variantSpec } from './variants.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Per variant: its preset and the spec leaves it changes (path -> new value), written out by hand from the papers' tables. */
const EXPECTED: Record<string, { preset: PresetName; changes: Record<string, unknown> }> = {
  spert: { preset: 'spert', changes: {} },
  dixit: { preset: 'dixit', changes: {} },
  ji2020: { preset: 'ji2020', changes: {} },
  twophase: { preset: 'twophase', changes: {} },
  stsn: { preset: 'stsn', changes: {} },
  'ji2020/additive': { preset: 'ji2020', changes: { 'spanHead.config.attention': 'additive', 'relationHead.config.attention': 'additive' } },
  'ji2020/dot-product': { preset: 'ji2020', changes: { 'spanHead.config.attention': 'dot-product', 'relationHead.config.attention': 'dot-product' } },
  'ji2020/general': { preset: 'ji2020', changes: { 'spanHead.config.attention': 'general', 'relationHead.config.attention': 'general' } },
  'ji2020/-SpanSpecific': { preset: 'ji2020', changes: { 'spanHead.config.spanSpecific': false } },
  'ji2020/-SentenceLevel-span': { preset: 'ji2020', changes: { 'spanHead.config.sentenceLevel': false } },
  'ji2020/-local': { preset: 'ji2020', changes: { 'relationHead.config.local': false } },
  'ji2020/-SentenceLevel-relation': { preset: 'ji2020', changes: { 'relationHead.config.sentenceLevel': false } },
  'twophase/-TwoPhase': { preset: 'twophase', changes: { 'entityClassifier.config.twoPhase': false, 'relationHead.config.twoPhase': false } },
  'twophase/-BiFeatures': { preset: 'twophase', changes: { 'relationHead.config.biFeatures': false } },
  'twophase/-MultiFeatures': { preset: 'twophase', changes: { 'relationHead.config.multiFeatures': false } },
  'twophase/-gated': { preset: 'twophase', changes: { 'spanHead.config.gated': false, 'relationHead.config.gated': false } },
  'stsn/layers=1': { preset: 'stsn', changes: { 'tokenInteraction.config.numLayers': 1 } },
  'stsn/layers=2': { preset: 'stsn', changes: { 'tokenInteraction.config.numLayers': 2 } },
  'stsn/layers=3': { preset: 'stsn', changes: { 'tokenInteraction.config.numLayers': 3 } },
  'stsn/layers=4': { preset: 'stsn', changes: {} }, // the preset's own 4 layers
  'stsn/layers=5': { preset: 'stsn', changes: { 'tokenInteraction.config.numLayers': 5 } },
  'stsn/layers=6': { preset: 'stsn', changes: { 'tokenInteraction.config.numLayers': 6 } },
  'stsn/-LabelEmbedding': { preset: 'stsn', changes: { 'tagger.config.labelEmbedding': false } },
  'stsn/-E&R-L-A': { preset: 'stsn', changes: { 'tokenInteraction.config.erla': false } },
  'stsn/-AttentionLayer': { preset: 'stsn', changes: { 'tokenInteraction.config.attentionLayers': false } },
};

/** Every leaf of a JSON value by dotted path (arrays are leaves). */
function leaves(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}

/** The leaves of `after` that differ from `before` (or are new), and those of `before` gone from `after` (as undefined). */
function changedLeaves(before: unknown, after: unknown): Record<string, unknown> {
  const [a, b] = [leaves(before), leaves(after)];
  const out: Record<string, unknown> = {};
  for (const [path, value] of b) if (!a.has(path) || JSON.stringify(a.get(path)) !== JSON.stringify(value)) out[path] = value;
  for (const path of a.keys()) if (!b.has(path)) out[path] = undefined;
  return out;
}

describe('variant names', () => {
  it('are the presets and every ablation / attention variant of the papers, each once', () => {
    expect([...VARIANT_NAMES].sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(VARIANT_NAMES.slice(0, PRESET_NAMES.length)).toEqual(PRESET_NAMES);
    for (const name of VARIANT_NAMES) {
      const v = resolveVariant(name);
      expect(v.name).toBe(name);
      expect(v.preset).toBe(EXPECTED[name].preset);
      expect(v.description.length).toBeGreaterThan(10);
    }
  });

  it('resolveVariant returns a copy: changing it leaves the table alone', () => {
    const v = resolveVariant('ji2020/-local');
    (v.overrides.relationHead as { config: { local: boolean } }).config.local = true;
    expect(resolveVariant('ji2020/-local').overrides).toEqual({ relationHead: { config: { local: false } } });
  });

  it('an unknown name throws, suggesting the closest and listing every known name', () => {
    const bad = () => resolveVariant('ji2020/-Locl');
    expect(bad).toThrow(/unknown model variant "ji2020\/-Locl" \(did you mean "ji2020\/-local"\?\)/);
    expect(bad).toThrow(`known: ${VARIANT_NAMES.join(', ')}`);
    expect(() => resolveVariant('stsn/-ERLA')).toThrow(/did you mean "stsn\/-E&R-L-A"/);
    expect(() => variantSpec('crf')).toThrow(/unknown model variant "crf"/);
    expect(() => variantSpec('stsn/layers=7')).toThrow(/unknown model variant "stsn\/layers=7" \(did you mean "stsn\/layers=\d"/);
  });

  it('variantFolderName gives distinct names without "/" or "&", and leaves plain presets (and +glove) as they are', () => {
    const folders = VARIANT_NAMES.map(variantFolderName);
    expect(new Set(folders).size).toBe(folders.length);
    for (const f of folders) expect(f).toMatch(/^[A-Za-z0-9._+=-]+$/);
    expect(variantFolderName('ji2020/-local')).toBe('ji2020__-local');
    expect(variantFolderName('stsn/-E&R-L-A')).toBe('stsn__-E-R-L-A');
    expect(variantFolderName('stsn/layers=2')).toBe('stsn__layers=2');
    expect(variantFolderName('dixit+glove')).toBe('dixit+glove');
    expect(variantFolderName('ji2020/-local+glove')).toBe('ji2020__-local+glove');
    for (const p of PRESET_NAMES) expect(variantFolderName(p)).toBe(p);
  });
});

describe('variantSpec', () => {
  for (const name of Object.keys(EXPECTED)) {
    it(`${name}: checked, preset "${EXPECTED[name].preset}", and differs from it in exactly ${JSON.stringify(EXPECTED[name].changes)}`, () => {
      const spec = variantSpec(name);
      expect(() => checkSpec(spec)).not.toThrow();
      expect(spec.preset).toBe(EXPECTED[name].preset);
      expect(changedLeaves(preset(EXPECTED[name].preset), spec)).toEqual(EXPECTED[name].changes);
    });
  }

  it('lays the user overrides over the variant\'s (the user wins), then checks, naming the source', () => {
    const spec = variantSpec('ji2020/-local', { overrides: { training: { epochs: 3 }, spanHead: { config: { sentenceLevel: false } } } });
    expect(changedLeaves(preset('ji2020'), spec)).toEqual({ 'relationHead.config.local': false, 'spanHead.config.sentenceLevel': false, 'training.epochs': 3 });
    // Setting the ablated field back gives the preset.
    expect(variantSpec('stsn/-AttentionLayer', { overrides: { tokenInteraction: { config: { attentionLayers: true } } } })).toEqual(preset('stsn'));
    expect(() => variantSpec('stsn/layers=2', { overrides: { training: { batchSize: 0 } }, source: 'x.json' })).toThrow(/^x\.json: .*training\.batchSize must be an integer >= 1, got 0/);
    expect(() => variantSpec('stsn/layers=2', { overrides: { training: { batchSize: 0 } } })).toThrow(/^variant stsn\/layers=2: /);
    expect(() => variantSpec('ji2020/-local', { overrides: { preset: 'spert' } })).toThrow(/"preset" is "spert" but the preset asked for is "ji2020"/);
  });

  it('applies the encoder short form before the variant (bert restores the paper\'s peak lr), keeping the ablation', () => {
    const spec = variantSpec('twophase/-gated', { encoder: 'bert:/models/tiny' });
    expect(spec.encoder).toMatchObject({ name: 'bert-encoder.v1', config: { model: '/models/tiny' } });
    expect(spec.training.optimizer.lr).toMatchObject({ peakLr: 5e-5 });
    expect([spec.spanHead.config.gated, spec.relationHead.config.gated]).toEqual([false, false]);
    expect(spec.preset).toBe('twophase');
  });
});

// ---------------------------------------------------------------------------
// Every variant builds a tiny model and runs.

const D = 16; // tiny encoder: BiLSTM 2 x 8
const W = 4; // tiny width embeddings
const L = 4; // tiny STSN label embeddings
const E = TINY_SCHEMA.entities.length; // 3
const R = TINY_SCHEMA.relations.length; // 3

/**
 * Span representation size (span head `outputDim`) and relation logits per pair
 * of each preset in the tiny setup, from the heads' documented formulas.
 */
const TINY_SHAPES: Record<PresetName, { spanDim: number; relationOutputs: number }> = {
  spert: { spanDim: D + W + D, relationOutputs: R }, // [max-pool; width] + CLS; a sigmoid per type
  dixit: { spanDim: 2 * D + 8 + W, relationOutputs: R + 1 }, // [start; end; attended word vectors (8); width]; softmax incl. none
  ji2020: { spanDim: 4 * D + W, relationOutputs: R }, // [T_s; F_s; H_s (2D); W]; sigmoid
  twophase: { spanDim: D, relationOutputs: R + 1 }, // gated fusion to D; phase two over none + types
  stsn: { spanDim: 2 * (D + L) + W, relationOutputs: R }, // [h_start; h_end; width] over [view; label emb]; sigmoid
};

/** Where a variant's shapes differ from its preset's. */
const SHAPE_CHANGES: Record<string, Partial<{ spanDim: number; relationOutputs: number }>> = {
  'ji2020/-SpanSpecific': { spanDim: 2 * D + W }, // [F_s; H_s] -> max-pool (D)
  'twophase/-gated': { spanDim: 3 * D }, // [max-pool; CLS; width (D)]
  'stsn/-LabelEmbedding': { spanDim: 2 * D + W }, // the views alone
};

/** The built component of a spec path's first segment. */
function component(model: JointModel, key: string): { config(): Record<string, unknown> } {
  const part = (model as unknown as Record<string, unknown>)[key];
  if (!part) throw new Error(`no component ${key}`);
  return part as { config(): Record<string, unknown> };
}

const docs = tinyCorpus(4);
// Candidate spans of the first two sentences ([B = 2, K = 4]) and their entity classes (the two-phase type features).
const spanLists: [number, number][][] = [
  [[0, 2], [2, 4], [4, 6], [0, 1]],
  [[0, 1], [3, 4]],
];
const classes = [[1, 2, 3, 0], [1, 3]];

describe('every variant builds a tiny model', () => {
  for (const name of Object.keys(EXPECTED)) {
    it(`${name}: the flags reach the components; forward shapes, loss and predict`, async () => {
      const v = resolveVariant(name);
      // The tiny dimensions first, the variant over them (the tiny STSN has 1 layer; stsn/layers=N sets N).
      const spec = tinySpec(v.preset, v.overrides);
      const model = await buildModel(spec, TINY_SCHEMA, docs);
      try {
        // Each changed config field is in the built component's config.
        for (const [path, value] of Object.entries(EXPECTED[name].changes)) {
          const [key, configKey, field] = path.split('.');
          expect(configKey).toBe('config');
          expect(component(model, key).config()[field], path).toEqual(value);
        }
        if (v.preset === 'stsn') expect(model.tokenInteraction!.config().numLayers).toBe(name.startsWith('stsn/layers=') ? Number(name.slice('stsn/layers='.length)) : 1);
        if (name === 'ji2020/-SentenceLevel-relation') expect((model.relationHead as Ji2020RelationHead).representationDim).toBe(2 * 8 + 4); // [H_r; FFNN_F] without FFNN_T (2)
        if (name === 'ji2020') expect((model.relationHead as Ji2020RelationHead).representationDim).toBe(2 * 8 + 4 + 2);

        const want = { ...TINY_SHAPES[v.preset], ...SHAPE_CHANGES[name] };
        expect([model.spanHead.outputDim, model.relationHead.outputDim]).toEqual([want.spanDim, want.relationOutputs]);
        const shapes = tf.tidy(() => {
          const tokens = docs.slice(0, 2).map((d) => [...d.tokens]);
          const views = decoderViews(model, tokens, false, null);
          const { spans, spanMask } = spansToTensor(spanLists); // [2, 4, 2]
          const reps = model.spanHead.embed(views.entity, spans, spanMask, false); // [2, 4, spanDim]
          const entityLogits = model.entityClassifier.classify(reps, false); // [2, 4, E + 1]
          const pairs = allPairs(spans, spanMask, views.relation.hidden.shape[1], { spanLabels: packSpanLabels(classes, 4) }); // 4 x 3 ordered pairs
          const relationLogits = model.relationHead.score(views.relation, relationSpanReps(model, views, reps, spans, spanMask, false), pairs, false);
          return { reps: reps.shape, entity: entityLogits.shape, relation: relationLogits.shape };
        });
        expect(shapes).toEqual({ reps: [2, 4, want.spanDim], entity: [2, 4, E + 1], relation: [2, 12, want.relationOutputs] });

        const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
        const sampling = spec.training.sampling.strategy === 'all-spans' ? spec.training.sampling : undefined; // as train() passes it
        const loss = tf.tidy(() => trainingLosses(model, batch, sampling, spec.training.lossReduction, spec.training.loss).loss.dataSync()[0]);
        expect(Number.isFinite(loss) && loss > 0).toBe(true);

        const before = tf.memory().numTensors;
        const predicted = model.predict(docs);
        expect(tf.memory().numTensors).toBe(before);
        expect(predicted.map((d) => d.tokens)).toEqual(docs.map((d) => d.tokens));
        const types = new Set(TINY_SCHEMA.entities.map((t) => t.name));
        for (const d of predicted) {
          for (const e of d.entities) {
            expect(types.has(e.type)).toBe(true);
            expect(0 <= e.start && e.start < e.end && e.end <= d.tokens.length && e.end - e.start <= spec.maxSpanWidth).toBe(true);
          }
        }
      } finally {
        model.dispose();
      }
    });
  }
});
