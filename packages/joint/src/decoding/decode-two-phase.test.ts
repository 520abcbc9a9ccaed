/**
 * Two-phase decoding: the relation head's type x type x distance features must
 * read the *predicted* entity types of the kept spans. Checked against a naive
 * loop that classifies one span at a time and scores one pair at a time with
 * the two spans' predicted classes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, it } from 'vitest';
import { enumerateSpans, type Document } from '@spanrel/datasets';
import type { PairBatch, TwoPhaseRelationHead } from '@spanrel/relation-heads';
import { spansToTensor, type TwoPhaseEntityClassifier } from '@spanrel/span-heads';
import { initBackend } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

const argmax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** One pair (a, b) of single-span representations as a 1-pair batch with the given entity classes. */
function pairOf(a: { span: [number, number] }, b: { span: [number, number] }, classes: [number, number], T: number): PairBatch {
  const between = Array.from({ length: T }, (_, t) => (t >= Math.min(a.span[1], b.span[1]) && t < Math.max(a.span[0], b.span[0]) ? 1 : 0));
  return {
    pairs: tf.tensor3d([[[0, 1]]], [1, 1, 2], 'int32'),
    pairMask: tf.tensor2d([[1]]),
    contextMask: tf.tensor3d([[between]], [1, 1, T]),
    spans: tf.tensor3d([[a.span, b.span]], [1, 2, 2], 'int32'),
    spanLabels: tf.tensor2d([classes], [1, 2], 'int32'),
  };
}

type KeptSpan = { span: [number, number]; reps: tf.Tensor3D; cls: number };

/** The encoder output of one sentence and its kept spans, classified one span at a time (inside the caller's tidy). */
function naiveKeptSpans(model: JointModel, tokens: string[]): { enc: ReturnType<JointModel['encoder']['encode']>; kept: KeptSpan[] } {
  const enc = model.encoder.encode({ tokens: [tokens] }, false);
  const kept: KeptSpan[] = [];
  for (let s = 0; s < tokens.length; s++) {
    for (let e = s + 1; e <= Math.min(tokens.length, s + model.decoding.maxSpanWidth); e++) {
      const reps = model.spanHead.embed(enc, tf.tensor3d([[[s, e]]], [1, 1, 2], 'int32'), tf.tensor2d([[1]]), false);
      const cls = argmax(Array.from(model.entityClassifier.classify(reps, false).dataSync()));
      if (cls !== 0) kept.push({ span: [s, e], reps, cls });
    }
  }
  return { enc, kept };
}

/** Phase one's relation margins z1 - z0 over every ordered pair of kept spans of the sentences, ascending. */
function relationMargins(model: JointModel, sentences: string[][]): number[] {
  const head = model.relationHead as TwoPhaseRelationHead;
  return tf.tidy(() =>
    sentences
      .flatMap((tokens) => {
        const { enc, kept } = naiveKeptSpans(model, tokens);
        return kept.flatMap((a) =>
          kept
            .filter((b) => b !== a)
            .map((b) => {
              const reps = tf.concat([model.spanHead.relationFeatures(a.reps), model.spanHead.relationFeatures(b.reps)], 1) as tf.Tensor3D;
              const [z0, z1] = Array.from(head.scorePhases(enc, reps, pairOf(a, b, [a.cls, b.cls], tokens.length), false).binary.dataSync());
              return z1 - z0;
            }),
        );
      })
      .sort((x, y) => x - y),
  );
}

/**
 * Entities and relations of one sentence, one span and one pair at a time: the
 * relation of (a, b) is scored with a's and b's predicted classes. Also returns
 * the relations found when every span's class is replaced by another one
 * (`otherRelations`), to show that the classes decide some relations.
 */
function naiveDecode(model: JointModel, tokens: string[]): { entities: Set<string>; relations: Set<string>; otherRelations: Set<string> } {
  const entities = new Set<string>();
  const relations = new Set<string>();
  const otherRelations = new Set<string>();
  const numTypes = TINY_SCHEMA.entities.length;
  tf.tidy(() => {
    const { enc, kept } = naiveKeptSpans(model, tokens);
    const T = tokens.length;
    for (const { span: [s, e], cls } of kept) entities.add(`${TINY_SCHEMA.entities[cls - 1].name}|${s}:${e}`);
    for (const a of kept) {
      for (const b of kept) {
        if (a === b) continue;
        const reps = tf.concat([model.spanHead.relationFeatures(a.reps), model.spanHead.relationFeatures(b.reps)], 1) as tf.Tensor3D;
        const logits = Array.from(model.relationHead.score(enc, reps, pairOf(a, b, [a.cls, b.cls], T), false).dataSync());
        const other: [number, number] = [(a.cls % numTypes) + 1, (b.cls % numTypes) + 1]; // another type for each
        const otherLogits = Array.from(model.relationHead.score(enc, reps, pairOf(a, b, other, T), false).dataSync());
        const key = (type: number) => `${TINY_SCHEMA.relations[type].name}|${a.span.join(':')}|${b.span.join(':')}`;
        if (argmax(logits) > 0) relations.add(key(argmax(logits) - 1));
        if (argmax(otherLogits) > 0) otherRelations.add(key(argmax(otherLogits) - 1));
      }
    }
  });
  return { entities, relations, otherRelations };
}

const sameSet = (a: Set<string>, b: Set<string>) => a.size === b.size && [...a].every((x) => b.has(x));

function asSets(doc: Document): { entities: Set<string>; relations: Set<string> } {
  const span = (i: number) => `${doc.entities[i].start}:${doc.entities[i].end}`;
  return {
    entities: new Set(doc.entities.map((e, i) => `${e.type}|${span(i)}`)),
    relations: new Set(doc.relations.map((r) => `${r.type}|${span(r.head)}|${span(r.tail)}`)),
  };
}

it('twophase: decoding scores pairs with the predicted entity types of the kept spans (naive span-by-span, pair-by-pair loop)', async () => {
  // No symmetric relation type here, so the naive loop need not reorder arguments.
  const schema = { ...TINY_SCHEMA, relations: TINY_SCHEMA.relations.map((r) => ({ ...r, symmetric: false })) };
  const docs = tinyCorpus(3);
  const model = await buildModel(tinySpec('twophase', { maxSpanWidth: 3, decodeBatchSize: 3, keptSpansPerWord: null, entityOverlap: 'allow' }), schema, docs);
  // Varied decisions: random classifier weights; phase one keeps a minority of the spans.
  let seed = 21;
  for (const module of [model.entityClassifier, model.relationHead]) {
    for (const [name, v] of module.parameters()) {
      // A large random bias of the fusion's input projections would be shared by every pair and swamp what tells them apart.
      if (/projections\..*bias/.test(name)) continue;
      v.assign(tf.randomNormal(v.shape, 0, 0.8, 'float32', seed++));
    }
  }
  const entityParams = model.entityClassifier.parameters();
  // Phase one keeps about a quarter of the candidate spans: the not-entity bias at the 75th percentile of the margins z1 - z0.
  const margins = tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: docs.map((d) => [...d.tokens]) }, false);
    const { spans, spanMask } = spansToTensor(docs.map((d) => enumerateSpans(d.tokens.length, 3)));
    const { binary } = (model.entityClassifier as TwoPhaseEntityClassifier).classifyPhases(model.spanHead.embed(enc, spans, spanMask, false), false);
    const real = spanMask.arraySync();
    return (binary.arraySync() as number[][][]).flatMap((row, b) => row.flatMap(([z0, z1], s) => (real[b][s] ? [z1 - z0] : []))).sort((x, y) => x - y);
  });
  const [b0, b1] = Array.from(entityParams.get('binary.bias')!.dataSync());
  entityParams.get('binary.bias')!.assign(tf.tensor1d([b0 + margins[Math.floor(0.75 * margins.length)], b1]));
  entityParams.get('types.kernel')!.assign(tf.randomNormal(entityParams.get('types.kernel')!.shape, 0, 4, 'float32', seed++)); // spans differ little: spread the types
  // Pairs differ little too: spread phase one of the relations, so that it keeps some pairs and drops others.
  // Spread phase two and the type x type x distance table too, so that the entity types decide some relation types.
  for (const name of ['binary.kernel', 'types.kernel', 'typeDistance.weight']) {
    const v = model.relationHead.parameters().get(name)!;
    v.assign(tf.randomNormal(v.shape, 0, 4, 'float32', seed++));
  }
  // Phase one keeps about half of the pairs of kept spans: its not-relation bias at the median margin.
  const relationBias = model.relationHead.parameters().get('binary.bias')!;
  const pairMargins = relationMargins(model, docs.map((d) => [...d.tokens]));
  const [r0, r1] = Array.from(relationBias.dataSync());
  relationBias.assign(tf.tensor1d([r0 + pairMargins[Math.floor(0.5 * pairMargins.length)], r1]));
  const predicted = model.predict(docs);
  let entities = 0;
  let relations = 0;
  let pairs = 0;
  let decidedByTypes = 0; // sentences whose relations change when the spans get other classes
  let types = new Set<string>();
  docs.forEach((doc, i) => {
    const expected = naiveDecode(model, doc.tokens);
    const got = asSets(predicted[i]);
    expect(got.entities).toEqual(expected.entities);
    expect(got.relations).toEqual(expected.relations);
    if (!sameSet(expected.relations, expected.otherRelations)) decidedByTypes += 1;
    entities += got.entities.size;
    pairs += got.entities.size * (got.entities.size - 1);
    relations += got.relations.size;
    types = new Set([...types, ...predicted[i].entities.map((e) => e.type)]);
  });
  expect(entities).toBeGreaterThan(3);
  expect(relations).toBeGreaterThan(2);
  expect(relations).toBeLessThan(pairs); // phase one dropped some pairs
  expect(decidedByTypes).toBeGreaterThan(0); // so decoding with other classes than the predicted ones would fail this test
  expect(types.size).toBeGreaterThan(1); // several predicted types, so the type features vary between pairs
  model.dispose();
});
