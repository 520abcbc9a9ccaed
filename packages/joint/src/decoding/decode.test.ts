import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '@spanrel/datasets';
import { expectNoLeak, initBackend } from '@spanrel/tensor-core';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { assembleDocument, assembleScoredDocument } from './assemble-document.js';
import { decodeDocumentsWithTags, limitKeptSpans } from './decode.js';

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

/** Random classifier weights (seeded), so that spans and pairs get varied decisions; `noneBias` on the entity classifier's `none` logit. */
function randomizeClassifiers(model: JointModel, noneBias: number): void {
  let seed = 11;
  for (const module of [model.entityClassifier, model.relationHead]) {
    for (const [, v] of module.parameters()) v.assign(tf.randomNormal(v.shape, 0, 0.8, 'float32', seed++));
  }
  const classes = model.entityClassifier.outputDim;
  for (const [, v] of model.entityClassifier.parameters()) {
    if (v.rank === 1 && v.shape[0] === classes) v.assign(tf.tensor1d([noneBias, ...new Array(classes - 1).fill(0)]));
  }
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/**
 * What decoding should give, computed one span and one pair at a time with the
 * model's components on the sentence alone (no batching, no padding, no
 * gathering): every span up to the max width classified; every ordered pair of
 * kept spans scored; sigmoid >= threshold or argmax; symmetric types ordered.
 */
function naiveDecode(model: JointModel, tokens: string[], threshold: number): { entities: Set<string>; relations: Set<string> } {
  const entities = new Set<string>();
  const relations = new Set<string>();
  tf.tidy(() => {
    const enc = model.encoder.encode({ tokens: [tokens] }, false);
    const T = tokens.length;
    const kept: { span: [number, number]; reps: tf.Tensor3D }[] = [];
    for (let s = 0; s < T; s++) {
      for (let e = s + 1; e <= Math.min(T, s + model.decoding.maxSpanWidth); e++) {
        const reps = model.spanHead.embed(enc, tf.tensor3d([[[s, e]]], [1, 1, 2], 'int32'), tf.tensor2d([[1]]), false);
        const cls = argmax(Array.from(model.entityClassifier.classify(reps, false).dataSync() as Float32Array));
        if (cls === 0) continue;
        kept.push({ span: [s, e], reps });
        entities.add(`${TINY_SCHEMA.entities[cls - 1].name}|${s}:${e}`);
      }
    }
    for (const a of kept) {
      for (const b of kept) {
        if (a === b) continue;
        const reps = tf.concat([model.spanHead.relationFeatures(a.reps), model.spanHead.relationFeatures(b.reps)], 1) as tf.Tensor3D;
        const between = Array.from({ length: T }, (_, t) => (t >= Math.min(a.span[1], b.span[1]) && t < Math.max(a.span[0], b.span[0]) ? 1 : 0));
        const logits = Array.from(
          model.relationHead
            .score(
              enc,
              reps,
              {
                pairs: tf.tensor3d([[[0, 1]]], [1, 1, 2], 'int32'),
                pairMask: tf.tensor2d([[1]]),
                contextMask: tf.tensor3d([[between]], [1, 1, T]),
                spans: tf.tensor3d([[a.span, b.span]], [1, 2, 2], 'int32'),
              },
              false,
            )
            .dataSync() as Float32Array,
        );
        const types = model.relationMode === 'multi-label' ? logits.map((x, r) => (1 / (1 + Math.exp(-x)) >= threshold ? r : -1)).filter((r) => r >= 0) : [argmax(logits) - 1].filter((r) => r >= 0);
        for (const r of types) {
          const type = TINY_SCHEMA.relations[r];
          const [h, t] = type.symmetric && (b.span[0] < a.span[0] || (b.span[0] === a.span[0] && b.span[1] < a.span[1])) ? [b, a] : [a, b];
          relations.add(`${type.name}|${h.span.join(':')}|${t.span.join(':')}`);
        }
      }
    }
  });
  return { entities, relations };
}

function asSets(doc: Document): { entities: Set<string>; relations: Set<string> } {
  const span = (i: number) => `${doc.entities[i].start}:${doc.entities[i].end}`;
  return {
    entities: new Set(doc.entities.map((e, i) => `${e.type}|${span(i)}`)),
    relations: new Set(doc.relations.map((r) => `${r.type}|${span(r.head)}|${span(r.tail)}`)),
  };
}

for (const presetName of ['spert', 'dixit'] as const) {
  it(`${presetName}: predict matches a naive span-by-span, pair-by-pair loop (${presetName === 'spert' ? 'threshold' : 'argmax'}, symmetric order)`, async () => {
    const spec = tinySpec(presetName, { maxSpanWidth: 3, decodeBatchSize: 4, keptSpansPerWord: null, entityOverlap: 'allow' }); // the naive loop has no span cap (decode-cap.test.ts) and keeps overlapping spans (non-overlapping-spans.test.ts)
    const docs = tinyCorpus(6);
    const model = await buildModel(spec, TINY_SCHEMA, docs);
    randomizeClassifiers(model, presetName === 'spert' ? 0.2 : 1.5);
    const predicted = model.predict(docs);
    let entities = 0;
    let relations = 0;
    let symmetric = 0;
    docs.forEach((doc, i) => {
      const expected = naiveDecode(model, doc.tokens, 0.4);
      const got = asSets(predicted[i]);
      expect(got.entities).toEqual(expected.entities);
      expect(got.relations).toEqual(expected.relations);
      expect(predicted[i].relations.length).toBe(got.relations.size); // no duplicates
      expect(predicted[i].id).toBe(doc.id);
      entities += got.entities.size;
      relations += got.relations.size;
      symmetric += predicted[i].relations.filter((r) => r.type === 'Sibling_Of').length;
    });
    // The comparison is not vacuous: spans and pairs were kept and dropped.
    const allSpans = docs.reduce((n, d) => n + d.tokens.length * 3 - 3, 0);
    expect(entities).toBeGreaterThan(3);
    expect(entities).toBeLessThan(allSpans);
    expect(relations).toBeGreaterThan(2);
    expect(symmetric).toBeGreaterThan(0);
    model.dispose();
  });
}

describe('decodeDocumentsWithTags scores', () => {
  it("an entity's score is the softmax probability of its type for the span on its sentence alone", async () => {
    const docs = tinyCorpus(6);
    const model = await buildModel(tinySpec('spert', { maxSpanWidth: 3 }, { dropout: false }), TINY_SCHEMA, docs);
    randomizeClassifiers(model, -1);
    const { docs: predicted, scores } = decodeDocumentsWithTags(model, docs);
    expect(predicted).toEqual(model.predict(docs));
    let checked = 0;
    predicted.forEach((doc, i) => {
      expect(scores[i].entities).toHaveLength(doc.entities.length);
      expect(scores[i].relations).toHaveLength(doc.relations.length);
      for (const s of scores[i].relations) expect(s).toBeGreaterThanOrEqual(0.4); // SpERT's threshold
      doc.entities.forEach((e, k) => {
        const probs = tf.tidy(() => {
          const enc = model.encoder.encode({ tokens: [doc.tokens] }, false);
          const reps = model.spanHead.embed(enc, tf.tensor3d([[[e.start, e.end]]], [1, 1, 2], 'int32'), tf.tensor2d([[1]]), false);
          return Array.from(tf.softmax(model.entityClassifier.classify(reps, false)).dataSync() as Float32Array);
        });
        const cls = TINY_SCHEMA.entities.findIndex((t) => t.name === e.type) + 1;
        expect(scores[i].entities[k]).toBeCloseTo(probs[cls], 5);
        checked += 1;
      });
    });
    expect(checked).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('predict', () => {
  it('frees every tensor it makes and gives empty sentences no annotations', async () => {
    const docs = tinyCorpus(5);
    const model = await buildModel(tinySpec('spert'), TINY_SCHEMA, docs);
    let out: Document[] = [];
    expectNoLeak(() => {
      out = model.predict([...docs, { id: 'empty', tokens: [] }]);
    });
    expect(out).toHaveLength(6);
    expect(out[5]).toEqual({ id: 'empty', tokens: [], entities: [], relations: [] });
    model.dispose();
  });
});

describe('assembleDocument', () => {
  const source = { id: 's', tokens: ['Ada', 'and', 'Hugo', 'met', 'Kira', '.'] };
  const spans = [
    { start: 4, end: 5, type: 0, score: 0.9 }, // Kira
    { start: 0, end: 1, type: 0, score: 0.8 }, // Ada
    { start: 2, end: 3, type: 0, score: 0.7 }, // Hugo
  ];

  it('sorts entities by position, writes symmetric relations earlier argument first and once', () => {
    const doc = assembleDocument(
      source,
      spans,
      [
        { head: 0, tail: 1, type: 2, score: 0.9 }, // Sibling_Of(Kira, Ada) -> (Ada, Kira)
        { head: 1, tail: 0, type: 2, score: 0.6 }, // Sibling_Of(Ada, Kira): the same relation
        { head: 2, tail: 1, type: 0, score: 0.5 }, // Work_For(Hugo, Ada): not symmetric, kept as is
        { head: 2, tail: 1, type: 0, score: 0.5 }, // duplicate
      ],
      TINY_SCHEMA,
    );
    expect(doc.entities).toEqual([
      { type: 'Person', start: 0, end: 1 },
      { type: 'Person', start: 2, end: 3 },
      { type: 'Person', start: 4, end: 5 },
    ]);
    expect(doc.relations).toEqual([
      { type: 'Sibling_Of', head: 0, tail: 2 },
      { type: 'Work_For', head: 1, tail: 0 },
    ]);
  });

  it('assembleScoredDocument: scores in the order of the entities and relations; a merged relation keeps its highest', () => {
    const { doc, scores } = assembleScoredDocument(
      source,
      spans,
      [
        { head: 0, tail: 1, type: 2, score: 0.6 }, // Sibling_Of(Kira, Ada) -> (Ada, Kira)
        { head: 1, tail: 0, type: 2, score: 0.9 }, // Sibling_Of(Ada, Kira): the same relation, higher
        { head: 2, tail: 1, type: 0, score: 0.5 }, // Work_For(Hugo, Ada)
        { head: 2, tail: 1, type: 0, score: 0.45 }, // duplicate, lower
      ],
      TINY_SCHEMA,
    );
    expect(doc).toEqual(assembleDocument(source, spans, [{ head: 0, tail: 1, type: 2, score: 0 }, { head: 2, tail: 1, type: 0, score: 0 }], TINY_SCHEMA));
    expect(scores).toEqual({ entities: [0.8, 0.7, 0.9], relations: [0.9, 0.5] }); // Ada, Hugo, Kira; Sibling_Of(Ada, Kira), Work_For(Hugo, Ada)
  });

  it('rejects type indices outside the schema', () => {
    expect(() => assembleDocument(source, [{ start: 0, end: 1, type: 7, score: 1 }], [], TINY_SCHEMA)).toThrow(/entity type index 7/);
  });
});

describe('limitKeptSpans', () => {
  it('keeps the most probable spans in span order', () => {
    const kept = { indices: [[1, 4, 6, 9], [2]], classes: [[1, 2, 1, 3], [1]], scores: [[0.5, 0.9, 0.5, 0.7], [0.3]] };
    expect(limitKeptSpans(kept, 2)).toEqual({ indices: [[4, 9], [2]], classes: [[2, 3], [1]], scores: [[0.9, 0.7], [0.3]] });
    expect(limitKeptSpans(kept, 3).indices[0]).toEqual([1, 4, 9]); // ties go to the earlier span
    expect(limitKeptSpans(kept, null)).toBe(kept);
  });
});
