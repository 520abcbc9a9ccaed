/**
 * Bounded decoding cost: a model whose entity classifier accepts every span (an
 * undertrained model at its worst) keeps at most `keptSpanLimit(words)` spans
 * per sentence, the most probable ones, on every decoding path (one view,
 * two-phase, STSN), and the counts say that the cap was hit.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enumerateSpans, type Document } from '@spanrel/datasets';
import { expectNoLeak, initBackend } from '@spanrel/tensor-core';
import { checkSpec } from '../config/check-spec.js';
import { loadModel, MODEL_CONFIG_FILE, saveModel } from '../io/model-folder.js';
import { buildModel } from '../model/build-model.js';
import { acceptEverySpan } from '../testing/accept-every-span.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { evaluateOnDev, formatDecodeCap } from '../training/dev-evaluation.js';
import { train, trainingBatch } from '../training/train.js';
import { trainingLosses } from '../training/training-loss.js';
import { decodeBatch, decodeLimits, emptyDecodeStats, keptSpanLimit, limitKeptSpans } from './decode.js';

/** Every span the classifier accepts is kept (the tiny corpus has no overlapping entities, so `auto` would decode flat). */
const ALLOW = { entityOverlap: 'allow' };

const root = mkdtempSync(join(tmpdir(), 'spanrel-decode-cap-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Tiny sentences and long ones (several tiny sentences run together: up to 42 words). */
function devDocs(): Document[] {
  const short = tinyCorpus(10, 7);
  const long: Document[] = [];
  for (let i = 0; i < 3; i++) {
    const tokens = [...short.slice(i), ...short].flatMap((d) => d.tokens).slice(0, 42);
    long.push({ id: `long-${i}`, tokens, entities: [], relations: [] });
  }
  return [...short, ...long];
}

describe('keptSpanLimit', () => {
  it('is max(min, ceil(perWord * words)), under maxKeptSpans; null parts are left out', () => {
    const settings = { maxKeptSpans: null, keptSpansPerWord: 0.4, minKeptSpans: 8 };
    expect(keptSpanLimit(42, settings)).toBe(17);
    expect(keptSpanLimit(15, { ...settings, minKeptSpans: 1 })).toBe(6); // 0.4 * 15 = 6.000000000000001
    expect(keptSpanLimit(5, settings)).toBe(8);
    expect(keptSpanLimit(42, { ...settings, maxKeptSpans: 10 })).toBe(10);
    expect(keptSpanLimit(42, { ...settings, keptSpansPerWord: null })).toBeNull();
    expect(keptSpanLimit(42, { ...settings, keptSpansPerWord: null, maxKeptSpans: 5 })).toBe(5);
    expect(keptSpanLimit(100, { maxKeptSpans: null })).toBe(40); // absent fields: the defaults (0.4, 8)
  });

  it('limitKeptSpans takes one limit per sentence', () => {
    const kept = { indices: [[1, 4, 6], [2, 3]], classes: [[1, 2, 1], [1, 1]], scores: [[0.5, 0.9, 0.6], [0.3, 0.4]] };
    expect(limitKeptSpans(kept, [2, null]).indices).toEqual([[4, 6], [2, 3]]);
  });
});

for (const presetName of ['spert', 'dixit', 'ji2020', 'twophase', 'stsn'] as const) {
  describe(`${presetName}: a classifier that accepts every span`, () => {
    it('keeps at most keptSpanLimit(words) spans per sentence, the most probable, and counts the cap', async () => {
      const docs = devDocs();
      const model = await buildModel(tinySpec(presetName, ALLOW), TINY_SCHEMA, tinyCorpus(12));
      try {
        acceptEverySpan(model);
        const stats = emptyDecodeStats();
        let predicted: Document[] = [];
        expectNoLeak(() => {
          predicted = model.predict(docs, { stats });
        });
        let dropped = 0;
        let pairs = 0;
        let maxKept = 0;
        docs.forEach((doc, i) => {
          const all = enumerateSpans(doc.tokens.length, model.decoding.maxSpanWidth).length;
          const limit = keptSpanLimit(doc.tokens.length, model.decoding)!;
          expect(limit).toBe(Math.max(8, Math.ceil(0.4 * doc.tokens.length - 1e-9)));
          expect(all).toBeGreaterThan(limit); // every sentence hits the cap
          expect(predicted[i].entities).toHaveLength(limit);
          dropped += all - limit;
          pairs += limit * (limit - 1);
          maxKept = Math.max(maxKept, limit);
        });
        expect(maxKept).toBe(17); // the 42-word sentences
        expect(stats).toEqual({ sentences: docs.length, cappedSentences: docs.length, droppedSpans: dropped, keptSpans: predicted.reduce((n, d) => n + d.entities.length, 0), maxKeptInSentence: 17, pairs });
      } finally {
        model.dispose();
      }
    });

    it('scoring pairs a slice of sentences at a time (decodeLimits.pairWords) predicts the same, leaking nothing', async () => {
      const docs = devDocs();
      const model = await buildModel(tinySpec(presetName, ALLOW), TINY_SCHEMA, tinyCorpus(12));
      const saved = decodeLimits.pairWords;
      try {
        acceptEverySpan(model);
        const whole = model.predict(docs);
        decodeLimits.pairWords = 1; // one sentence per slice
        let sliced: Document[] = [];
        expectNoLeak(() => {
          sliced = model.predict(docs);
        });
        expect(sliced).toEqual(whole);
        expect(whole.reduce((n, d) => n + d.relations.length, 0)).toBeGreaterThan(0);
      } finally {
        decodeLimits.pairWords = saved;
        model.dispose();
      }
    });

    it('the kept spans are the most probable of the uncapped decoding', async () => {
      const model = await buildModel(tinySpec(presetName, { ...ALLOW, maxSpanWidth: 4 }), TINY_SCHEMA, tinyCorpus(12));
      const uncapped = await buildModel(tinySpec(presetName, { ...ALLOW, maxSpanWidth: 4, keptSpansPerWord: null }), TINY_SCHEMA, tinyCorpus(12));
      try {
        acceptEverySpan(model);
        acceptEverySpan(uncapped);
        const tokens = [tinyCorpus(3, 2)[2].tokens.slice(0, 7), tinyCorpus(3, 2)[0].tokens.slice(0, 5)];
        const [capped, all] = [decodeBatch(model, tokens), decodeBatch(uncapped, tokens)];
        tokens.forEach((_, b) => {
          const limit = keptSpanLimit(tokens[b].length, model.decoding)!;
          expect(all[b].spans.length).toBeGreaterThan(limit);
          const top = all[b].spans
            .map((s, k) => ({ s, k }))
            .sort((x, y) => y.s.score - x.s.score || x.k - y.k)
            .slice(0, limit)
            .sort((x, y) => x.k - y.k)
            .map(({ s }) => s);
          expect(capped[b].spans).toEqual(top);
        });
      } finally {
        model.dispose();
        uncapped.dispose();
      }
    });
  });
}

describe('training with the cap', () => {
  it('all-spans selection with maxSelectedSpans null keeps at most the decoding cap per sentence', async () => {
    const spec = tinySpec('dixit', { training: { sampling: { maxSelectedSpans: null } } });
    expect(spec.training.sampling).toMatchObject({ maxSelectedSpans: null });
    const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(12));
    try {
      acceptEverySpan(model);
      const paired: number[] = [];
      const score = model.relationHead.score.bind(model.relationHead);
      model.relationHead.score = (enc, reps, pairs, training) => {
        paired.push(reps.shape[1]); // K: spans paired in the batch's widest sentence
        return score(enc, reps, pairs, training);
      };
      const docs = devDocs().slice(-3); // 42 words each
      const sampling = spec.training.sampling.strategy === 'all-spans' ? spec.training.sampling : undefined;
      tf.tidy(() => trainingLosses(model, trainingBatch(spec, TINY_SCHEMA, docs, 0, 0), sampling, 'sum', spec.training.loss).loss);
      expect(paired).toEqual([17]);
    } finally {
      model.dispose();
    }
  });
});

describe('dev evaluation with the cap', () => {
  it('reports the cap in its counts and in one line', async () => {
    const docs = devDocs();
    const model = await buildModel(tinySpec('spert', ALLOW), TINY_SCHEMA, tinyCorpus(12));
    try {
      const normal = evaluateOnDev(model, docs).decoding;
      expect(normal.sentences).toBe(docs.length);
      acceptEverySpan(model);
      const { decoding } = evaluateOnDev(model, docs);
      expect(decoding.cappedSentences).toBe(docs.length);
      expect(decoding.maxKeptInSentence).toBe(17);
      expect(decoding.keptSpans).toBeLessThanOrEqual(17 * docs.length);
      expect(formatDecodeCap(decoding)).toMatch(new RegExp(`^span cap hit in ${docs.length} of ${docs.length} sentences \\(\\d+ predicted entity spans dropped, at most 17 kept per sentence\\)$`));
      expect(formatDecodeCap({ ...decoding, cappedSentences: 0 })).toBeNull();
    } finally {
      model.dispose();
    }
  });
});

describe('span cap settings', () => {
  it('are saved with the model; a model saved without them loads with the defaults', async () => {
    const model = await buildModel(tinySpec('spert', { keptSpansPerWord: 0.25, minKeptSpans: 3 }), TINY_SCHEMA, tinyCorpus(8));
    const dir = join(root, 'model');
    try {
      await saveModel(model, dir);
    } finally {
      model.dispose();
    }
    const config = JSON.parse(readFileSync(join(dir, MODEL_CONFIG_FILE), 'utf8'));
    expect([config.keptSpansPerWord, config.minKeptSpans]).toEqual([0.25, 3]);
    const reloaded = await loadModel(dir);
    expect(reloaded.decoding).toMatchObject({ keptSpansPerWord: 0.25, minKeptSpans: 3 });
    reloaded.dispose();
    delete config.keptSpansPerWord;
    delete config.minKeptSpans;
    writeFileSync(join(dir, MODEL_CONFIG_FILE), JSON.stringify(config));
    const old = await loadModel(dir);
    expect(old.decoding).toMatchObject({ maxKeptSpans: null, keptSpansPerWord: 0.4, minKeptSpans: 8 });
    old.dispose();
    writeFileSync(join(dir, MODEL_CONFIG_FILE), JSON.stringify({ ...config, keptSpansPerWord: 0 }));
    await expect(loadModel(dir)).rejects.toThrow(/"keptSpansPerWord" must be a positive number or null/);
  });

  it('are checked in a spec, and may be absent from it', () => {
    const spec = tinySpec('spert', ALLOW);
    expect([spec.keptSpansPerWord, spec.minKeptSpans]).toEqual([0.4, 8]);
    expect(() => checkSpec({ ...spec, keptSpansPerWord: 0, minKeptSpans: 0.5 })).toThrow(/keptSpansPerWord must be a number in .*\n?.*minKeptSpans must be an integer >= 1/s);
    const { keptSpansPerWord: _k, minKeptSpans: _m, ...old } = spec;
    expect(() => checkSpec(old)).not.toThrow();
    expect(() => checkSpec({ ...spec, keptSpansPerWord: null })).not.toThrow();
  });

  it('the training log records the dev evaluation counts', async () => {
    const docs = tinyCorpus(8);
    const result = await train({ spec: tinySpec('spert', { training: { epochs: 1 } }), schema: TINY_SCHEMA, train: docs, dev: docs.slice(0, 5), outDir: join(root, 'run') });
    result.model.dispose();
    expect(result.history[0].devDecoding).toMatchObject({ sentences: 5 });
    expect(result.history[0].devDecoding!.maxKeptInSentence).toBeLessThanOrEqual(8);
  });
});
