/**
 * Every preset trains on any valid corpus, not only CoNLL04's shape: one entity type, one
 * relation type, batches (and whole corpora) without a relation, sentences of more than 100 words with their entities at the far end.
 * Each corpus is trained for one epoch at tiny dimensions, then predicted and scored; the
 * predictions must be valid documents of the corpus's types.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateDocuments, type Document, type TypeSchema } from '@spanrel/datasets';
import { evaluate } from '@spanrel/eval';
import { initBackend } from '@spanrel/tensor-core';
import { PRESET_NAMES } from '../config/presets.js';
import { tinySpec } from '../testing/tiny-corpus.js';
import { train } from './train.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-any-corpus-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const entityType = (name: string) => ({ name, short: name, verbose: name });
const relationType = (name: string, symmetric = false) => ({ name, short: name, verbose: name, symmetric });

const NAMES = ['Ada', 'Boris', 'Elena', 'Hugo', 'Kira', 'Lena'];
const PLACES = ['Oslo', 'Porto', 'Lyon'];

/** "<A> met <B> ." sentences (entity types `a` / `b`); the first `withRelation` carry a relation `rel` (when given). */
function pairCorpus(n: number, a: string, b: string, rel: string | undefined, withRelation = n): Document[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `d${i}`,
    tokens: [NAMES[i % NAMES.length], 'met', b === a ? NAMES[(i + 1) % NAMES.length] : PLACES[i % PLACES.length], '.'],
    entities: [
      { type: a, start: 0, end: 1 },
      { type: b, start: 2, end: 3 },
    ],
    relations: rel && i < withRelation ? [{ type: rel, head: 0, tail: 1 }] : [],
  }));
}

/** Sentences of 120 to 150 words whose two entities (and their relation) sit at the end. */
function longCorpus(n: number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const length = 120 + ((i * 10) % 31);
    const tokens = Array.from({ length: length - 4 }, (_, k) => ['the', 'report', 'said', 'that', 'in', 'a', 'year'][(k + i) % 7]);
    tokens.push(NAMES[i % NAMES.length], 'visited', PLACES[i % PLACES.length], '.');
    return {
      id: `long${i}`,
      tokens,
      entities: [
        { type: 'Person', start: length - 4, end: length - 3 },
        { type: 'Location', start: length - 2, end: length - 1 },
      ],
      relations: i % 2 === 0 ? [{ type: 'Visit', head: 0, tail: 1 }] : [],
    };
  });
}

const PERSON_LOCATION: TypeSchema = { entities: [entityType('Person'), entityType('Location')], relations: [relationType('Visit'), relationType('Live_In')] };

const CORPORA: { name: string; schema: TypeSchema; docs: Document[] }[] = [
  {
    name: 'one entity type',
    schema: { entities: [entityType('Person')], relations: [relationType('Knows'), relationType('Sibling_Of', true)] },
    docs: pairCorpus(8, 'Person', 'Person', 'Knows').map((d, i) => (i % 2 ? { ...d, relations: [{ type: 'Sibling_Of', head: 0, tail: 1 }] } : d)),
  },
  { name: 'one entity type and one relation type', schema: { entities: [entityType('Person')], relations: [relationType('Knows')] }, docs: pairCorpus(8, 'Person', 'Person', 'Knows', 6) },
  // One relation in 12 sentences: most batches have none.
  { name: 'one relation type, most batches without a relation', schema: { entities: [entityType('Person'), entityType('Location')], relations: [relationType('Live_In')] }, docs: pairCorpus(12, 'Person', 'Location', 'Live_In', 1) },
  // ... and half the sentences (whole batches) without an entity either.
  {
    name: 'relation types, but no relation in the data',
    schema: PERSON_LOCATION,
    docs: pairCorpus(8, 'Person', 'Location', undefined).map((d, i) => (i >= 4 ? { ...d, tokens: ['it', 'rained', 'all', 'day', '.'], entities: [] } : d)),
  },
  { name: 'sentences of 120-150 words, entities at the end', schema: PERSON_LOCATION, docs: longCorpus(4) },
];

// A types file without relation types is refused up front, with a clear message (a joint
// model's relation heads need at least one type); declare one to train entities only.
describe('a types file without relation types', () => {
  it('is refused with a message that says so', async () => {
    const schema: TypeSchema = { entities: [entityType('Person'), entityType('Location')], relations: [] };
    const docs = pairCorpus(4, 'Person', 'Location', undefined);
    await expect(train({ spec: tinySpec('spert', { training: { epochs: 1 } }), schema, train: docs, dev: docs, outDir: join(root, 'no-relation-types') })).rejects.toThrow(
      /declares no relation types/,
    );
  });
});

for (const corpus of CORPORA) {
  describe(`every preset trains, predicts and scores: ${corpus.name}`, () => {
    for (const presetName of PRESET_NAMES) {
      it(presetName, async () => {
        const spec = tinySpec(presetName, { training: { epochs: 1 } });
        const dev = corpus.docs.slice(0, 2);
        const outDir = join(root, `${presetName}-${corpus.name.replace(/[^a-z0-9]+/gi, '-')}`);
        const result = await train({ spec, schema: corpus.schema, train: corpus.docs, dev, outDir });
        try {
          expect(result.history).toHaveLength(1);
          expect(Number.isFinite(result.history[0].loss)).toBe(true);
          const predictions = result.model.predict(corpus.docs.map((d) => ({ id: d.id, tokens: d.tokens })));
          expect(predictions.map((p) => p.tokens)).toEqual(corpus.docs.map((d) => d.tokens));
          expect(validateDocuments(predictions, { schema: corpus.schema, strict: true }).map((e) => e.message)).toEqual([]);
          const scores = evaluate(corpus.docs, predictions, corpus.schema);
          for (const f1 of [scores.ner.micro.f1, scores.re.micro.f1, scores.rePlus.micro.f1]) expect(Number.isFinite(f1)).toBe(true);
        } finally {
          result.model.dispose();
        }
      });
    }
  });
}
