/**
 * `predict(..., { withTags: true })`: the tags equal an argmax of the tagger's
 * logits computed one sentence at a time (naive loop, tag names from the saved
 * config), one per word, in input order across decode batches; the documents are
 * those of plain `predict`; a model without a tagger is refused.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '@spanrel/datasets';
import { initBackend } from '@spanrel/tensor-core';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { buildModel } from './build-model.js';
import type { JointModel } from './joint-model.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** The tagger's tags of one sentence, alone (no batch, no padding): argmax per word, first maximum wins. */
function naiveTags(model: JointModel, tokens: readonly string[]): string[] {
  const names = model.tagger!.config().tags;
  const logits = tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: [[...tokens]] }, false); // hidden [1, T, D]
    const views = model.tokenInteraction!.apply(enc.hidden, enc.mask, false);
    return model.tagger!.logits(views.label).arraySync()[0]; // [T, tags]
  });
  return logits.map((row) => {
    let best = 0;
    for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k;
    return names[best];
  });
}

describe('JointModel.predict with tags', () => {
  it('gives each sentence the argmax of its tag logits, one tag per word, and the same documents as predict', async () => {
    // A nested entity in the training data puts an extended tag in the vocabulary.
    const nested: Document = {
      id: 'nested',
      tokens: ['Oslo', 'Bank', 'opened', '.'],
      entities: [{ type: 'Organization', start: 0, end: 2 }, { type: 'Location', start: 0, end: 1 }],
      relations: [],
    };
    // The paper's post-LN stack: its random weights give varied tags (the pre-LN default's random residual stream gives 2).
    const model = await buildModel(tinySpec('stsn', { maxSpanWidth: 4, tokenInteraction: { config: { norm: 'post' } } }), TINY_SCHEMA, [...tinyCorpus(8), nested]);
    expect(model.tagger!.config().tags).toContain('B-Organization/B-Location');
    // Random weights, so that the tags vary (decodeBatchSize 4: several batches, sorted by length).
    let seed = 40;
    for (const v of model.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.5, 'float32', seed++)));
    const docs = tinyCorpus(9, 7);
    const sentences = [...docs, { id: 'empty', tokens: [] }, { id: 'dup', tokens: docs[2].tokens }, { id: 'new', tokens: ['Zorro', 'sells', 'maps', 'in', 'Lima', 'today', '.'] }];

    const tensorsBefore = tf.memory().numTensors;
    const tagged = model.predict(sentences, { withTags: true });
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(tagged.map((d) => d.tags.length)).toEqual(sentences.map((s) => s.tokens.length));
    expect(tagged.map((d) => d.tags)).toEqual(sentences.map((s) => (s.tokens.length === 0 ? [] : naiveTags(model, s.tokens))));
    // The comparison means something: several different tags were predicted.
    expect(new Set(tagged.flatMap((d) => d.tags)).size).toBeGreaterThanOrEqual(3);
    // The documents themselves are plain predict's.
    expect(tagged.map(({ tags: _tags, ...doc }) => doc)).toEqual(model.predict(sentences));
    expect(tagged.map((d) => d.id)).toEqual(sentences.map((s) => s.id));
    model.dispose();
  });

  it('refuses a model without a tagger, saying only STSN-style models predict tags', async () => {
    const model = await buildModel(tinySpec('spert'), TINY_SCHEMA, tinyCorpus(4));
    expect(() => model.predict(tinyCorpus(2), { withTags: true })).toThrow(/only STSN-style models \(with a tagger\) predict tags; this model \(.*\) has no tagger/);
    expect(model.predict(tinyCorpus(2)).length).toBe(2);
    model.dispose();
  });
});
