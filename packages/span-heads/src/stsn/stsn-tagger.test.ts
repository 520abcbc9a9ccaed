import * as tf from '@tensorflow/tfjs-core';
import { checkGradients, expectNoLeak, initBackend, randomIntTensor, randomTensor, registry } from '@spanrel/tensor-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// span-heads does not depend on @spanrel/datasets (whose decoders turn predicted tags into
// entities, in the joint model); the test imports them by path to check the round trip.
import { entitiesToExtendedBioTags, extendedBioTagsToEntities } from '../../../datasets/src/bio-tags.js';
import { maxAbsDiff, naiveDense, naiveSoftmax } from '../test-support.js';
import { StsnTagger, TagVocabulary, isBioTag, stsnJointLoss, tagCrossEntropy } from './index.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

type Entity = { type: string; start: number; end: number };

/** Sentences whose entities need extended BIO: nested (Figure 4) and two-fold crossing ones. */
const SENTENCES: { tokens: number; entities: Entity[] }[] = [
  // [[Codeine]DRUG intoxication]AE in the neonate .
  { tokens: 6, entities: [{ type: 'AE', start: 0, end: 2 }, { type: 'DRUG', start: 0, end: 1 }] },
  // crossing: [0, 3) Peop and [2, 4) Org; plus a plain entity
  { tokens: 7, entities: [{ type: 'Peop', start: 0, end: 3 }, { type: 'Org', start: 2, end: 4 }, { type: 'Loc', start: 5, end: 7 }] },
  // nested at the end, same type
  { tokens: 4, entities: [{ type: 'Org', start: 1, end: 4 }, { type: 'Org', start: 2, end: 3 }] },
];

const byPosition = (list: Entity[]) => [...list].sort((a, b) => a.start - b.start || a.end - b.end || (a.type < b.type ? -1 : 1));

describe('TagVocabulary', () => {
  const sequences = SENTENCES.map((s) => entitiesToExtendedBioTags(s.tokens, s.entities));

  it('collects plain and extended tags with "O" first, round-trips through JSON', () => {
    expect(sequences[0]).toEqual(['B-AE/B-DRUG', 'I-AE', 'O', 'O', 'O', 'O']); // the paper's Figure 4
    const vocab = TagVocabulary.fromTagSequences(sequences);
    const distinct = [...new Set(sequences.flat())].filter((t) => t !== 'O').sort();
    expect(vocab.tags).toEqual(['O', ...distinct]);
    expect(vocab.tags).toContain('I-Peop/B-Org');
    expect(vocab.size).toBe(distinct.length + 1);
    const reloaded = TagVocabulary.fromJSON(JSON.parse(JSON.stringify(vocab)));
    expect(reloaded.tags).toEqual(vocab.tags);
    expect(vocab.tags.map((t) => vocab.tag(vocab.id(t)))).toEqual(vocab.tags);
  });

  it('encodes a batch padded with "O" and names bad input', () => {
    const vocab = TagVocabulary.fromTagSequences(sequences);
    const ids = vocab.encodeBatch([['B-AE/B-DRUG', 'I-AE'], ['O']], 3);
    expect(ids.dtype).toBe('int32');
    expect(ids.arraySync()).toEqual([[vocab.id('B-AE/B-DRUG'), vocab.id('I-AE'), 0], [0, 0, 0]]);
    ids.dispose();
    expect(() => vocab.encodeBatch([['O'], ['O', 'B-Misc']], 3)).toThrow(/sequences\[1\]\[1\] = "B-Misc" is not in the vocabulary/);
    expect(() => TagVocabulary.fromTagSequences([['O', 'X-Peop']])).toThrow(/sequences\[0\]\[1\] = "X-Peop" is not a BIO tag/);
    expect(() => new TagVocabulary(['B-Peop', 'O'])).toThrow(/must be a non-empty array of tags starting with "O"/);
    expect(() => new TagVocabulary(['O', 'B-Peop', 'B-Peop'])).toThrow(/tags\[2\] = "B-Peop" repeats tags\[1\]/);
    expect(() => TagVocabulary.fromJSON({ tag: [] }, 'vocab.json')).toThrow(/vocab.json must be an object with a "tags" array/);
    expect([isBioTag('O'), isBioTag('B-GPE/ORG'), isBioTag('I-A/B-B'), isBioTag('O/I-B'), isBioTag('B-'), isBioTag('X-A/B-B')]).toEqual([true, true, true, true, false, false]);
  });
});

describe('StsnTagger ("stsn-tagger.v1")', () => {
  const sequences = SENTENCES.map((s) => entitiesToExtendedBioTags(s.tokens, s.entities));
  const vocab = TagVocabulary.fromTagSequences(sequences);
  const seqLen = 7; // T
  const mask = tf.tensor2d(SENTENCES.map((s) => Array.from({ length: seqLen }, (_, t) => (t < s.tokens ? 1 : 0)))); // [B, T]
  const tagger = registry.build<StsnTagger>('stsn-tagger.v1', { inputDim: 4, tags: vocab.tags, labelDim: 3, seed: 1 });

  afterAll(() => {
    mask.dispose();
    tagger.dispose();
  });

  it('has the paper defaults (label embeddings of 150) and the documented parameters', () => {
    const plain = new StsnTagger({ inputDim: 4, tags: vocab.tags });
    expect(plain.config()).toEqual({ inputDim: 4, tags: vocab.tags, labelDim: 150, labelEmbedding: true, initStd: 0.02, seed: 0 });
    expect([plain.outputDim, plain.labelDim, plain.numTags]).toEqual([154, 150, vocab.size]);
    plain.dispose();
    const shapes = Object.fromEntries([...tagger.parameters()].map(([name, v]) => [name, v.shape]));
    expect(shapes).toEqual({ 'classifier.kernel': [4, vocab.size], 'classifier.bias': [vocab.size], 'labels.weight': [vocab.size, 3] });
    const ablated = registry.build<StsnTagger>('stsn-tagger.v1', { ...tagger.config(), labelEmbedding: false });
    expect([ablated.outputDim, ablated.labelDim, [...ablated.parameters().keys()]]).toEqual([4, 0, ['classifier.kernel', 'classifier.bias']]);
    ablated.dispose();
    expect(() => new StsnTagger({ inputDim: 4, tags: ['O', 'Peop'] })).toThrow(/stsn-tagger.v1: config.tags\[1\] = "Peop" is not a BIO tag/);
    expect(() => new StsnTagger({ inputDim: 4, tags: vocab.tags, labelDim: 0 })).toThrow(/labelDim must be positive when config.labelEmbedding is true/);
  });

  it('decodes predicted tags back to the nested and two-fold overlapping entities (extended BIO round trip)', () => {
    // Logits that put each gold tag on top, as a trained tagger would; padding tokens get random winners.
    const gold = vocab.encodeBatch(sequences, seqLen); // [B, T]
    const noise = randomTensor([3, seqLen, vocab.size], 2, 0, 1); // [B, T, l]
    const logits = tf.add(noise, tf.mul(tf.oneHot(gold, vocab.size), 5)) as tf.Tensor3D; // [B, T, l]
    const predicted = tagger.predictTags(logits, mask);
    expect(predicted).toEqual(sequences);
    expect(predicted.map((tags) => extendedBioTagsToEntities(tags))).toEqual(SENTENCES.map((s) => byPosition(s.entities)));
    // Padding tokens predict "O" (id 0), whatever their logits.
    const ids = tf.tidy(() => tagger.predict(logits, mask).arraySync());
    expect(ids.map((row, b) => row.slice(SENTENCES[b].tokens).every((id) => id === 0))).toEqual([true, true, true]);
    tf.dispose([gold, noise, logits]);
  });

  it('scores tags with one linear layer (naive check) and ties go to the lower id', () => {
    const label = randomTensor([3, seqLen, 4], 3) as tf.Tensor3D; // H_L^N
    const logits = tf.tidy(() => tagger.logits(label).arraySync());
    const kernel = tagger.parameters().get('classifier.kernel')!.arraySync() as number[][];
    const bias = tagger.parameters().get('classifier.bias')!.arraySync() as number[];
    const h = label.arraySync();
    expect(maxAbsDiff(logits, h.map((row) => row.map((x) => naiveDense(x, kernel, bias))))).toBeLessThan(1e-5);
    const tied = tf.tensor3d([[[1, 3, 3, 0]]]); // [1, 1, 4]
    const tiedTagger = new StsnTagger({ inputDim: 2, tags: ['O', 'B-A', 'I-A', 'B-B'] });
    const one = tf.ones([1, 1]) as tf.Tensor2D;
    expect(tiedTagger.predictTags(tied, one)).toEqual([['B-A']]);
    tf.dispose([label, tied, one]);
    tiedTagger.dispose();
  });

  it('appends the label embeddings of the given tags to the entity and relation views (0 at padding; cls = max over tokens)', () => {
    const views = {
      label: randomTensor([3, seqLen, 4], 4) as tf.Tensor3D,
      entity: randomTensor([3, seqLen, 4], 5) as tf.Tensor3D,
      relation: randomTensor([3, seqLen, 4], 6) as tf.Tensor3D,
    };
    const tagIds = randomIntTensor([3, seqLen], vocab.size, 7) as tf.Tensor2D;
    const table = tagger.parameters().get('labels.weight')!.arraySync() as number[][];
    const [ids, m] = [tagIds.arraySync(), mask.arraySync()];
    const { entity, relation } = tagger.decoderInputs(views, tagIds, mask);
    expect(entity.mask).toBe(mask);
    for (const [enc, view] of [[entity, views.entity], [relation, views.relation]] as const) {
      expect(enc.hidden.shape).toEqual([3, seqLen, 7]);
      const v = view.arraySync();
      const expected = v.map((row, b) => row.map((x, t) => (m[b][t] ? [...x, ...table[ids[b][t]]] : new Array<number>(7).fill(0))));
      expect(maxAbsDiff(enc.hidden.arraySync(), expected)).toBeLessThan(1e-6);
      const cls = expected.map((row, b) => row[0].map((_, d) => Math.max(...row.filter((_, t) => m[b][t]).map((x) => x[d]))));
      expect(maxAbsDiff(enc.cls.arraySync(), cls)).toBeLessThan(1e-6);
      tf.dispose([enc.hidden, enc.cls]);
    }
    // -LabelEmbedding: the views alone.
    const ablated = new StsnTagger({ ...tagger.config(), labelEmbedding: false });
    const plain = ablated.decoderInputs(views, tagIds, mask);
    const expected = views.entity.arraySync().map((row, b) => row.map((x, t) => (m[b][t] ? x : x.map(() => 0))));
    expect(maxAbsDiff(plain.entity.hidden.arraySync(), expected)).toBeLessThan(1e-7);
    expect(() => ablated.labelEmbeddings(tagIds, mask)).toThrow(/built with config.labelEmbedding = false/);
    tf.dispose([plain.entity.hidden, plain.entity.cls, plain.relation.hidden, plain.relation.cls]);
    ablated.dispose();

    const outOfRange = tf.fill([3, seqLen], vocab.size, 'int32') as tf.Tensor2D;
    expect(() => tagger.decoderInputs(views, outOfRange, mask)).toThrow(/tagIds hold an id outside \[0, \d+\)/);
    expectNoLeak(() => tagger.decoderInputs(views, tagIds, mask));
    expectNoLeak(() => {
      const logits = tagger.logits(views.label);
      tagger.predictTags(logits, mask);
      logits.dispose();
    });
    tf.dispose([views.label, views.entity, views.relation, tagIds, outOfRange]);
  });

  it('L_L is the cross-entropy averaged over real tokens; L_joint = L_L + L_E + L_R', () => {
    const logits = randomTensor([3, seqLen, vocab.size], 8) as tf.Tensor3D;
    const gold = vocab.encodeBatch(sequences, seqLen);
    const loss = tagCrossEntropy(logits, gold, mask);
    const [l, g, m] = [logits.arraySync(), gold.arraySync(), mask.arraySync()];
    const terms = l.flatMap((row, b) => row.flatMap((x, t) => (m[b][t] ? [-Math.log(naiveSoftmax(x)[g[b][t]])] : [])));
    expect(loss.dataSync()[0]).toBeCloseTo(terms.reduce((a, c) => a + c, 0) / terms.length, 5);
    const parts = { tagLoss: loss, entityLoss: tf.scalar(0.25), relationLoss: tf.scalar(1.5) };
    const joint = stsnJointLoss(parts);
    expect(joint.dataSync()[0]).toBeCloseTo(loss.dataSync()[0] + 1.75, 5);
    // The gradient of L_L w.r.t. the label view, through the tag classifier.
    const label = randomTensor([1, 3, 4], 9) as tf.Tensor3D;
    const oneMask = tf.tensor2d([[1, 1, 0]]);
    const oneGold = tf.tensor2d([[1, 2, 0]], undefined, 'int32');
    checkGradients((h) => tagCrossEntropy(tagger.logits(h as tf.Tensor3D), oneGold, oneMask), [label], { eps: 1e-2 });
    tf.dispose([logits, gold, loss, parts.entityLoss, parts.relationLoss, joint, label, oneMask, oneGold]);
  });
});
