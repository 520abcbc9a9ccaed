import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel, splitSentences, type JointModel } from '@spanrel/joint';
import { initBackend } from '@spanrel/tensor-core';
import type { BatchInfo } from './micro-batcher.js';
import type { ModelInfo } from './model-info.js';
import { startServer, type RunningServer } from './server.js';
import { saveTinyModel, TINY_SCHEMA } from './testing/tiny-model.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-serve-'));
let modelDir: string;
/** The same model, loaded apart from the server's: what `model.predict` says. */
let reference: JointModel;
let server: RunningServer;
const batches: BatchInfo[] = [];
const LIMITS = { maxSentences: 4, maxWordsPerSentence: 12, bodyLimitBytes: 2000 };

const TEXT = 'Ada Brandt lives in Oslo. Hugo and his sister Kira met in Porto.';

/** The SpERT JSON entries `model.predict` gives for these sentences of words. */
function expected(sentences: string[][]) {
  return reference.predict(sentences.map((tokens, i) => ({ id: String(i), tokens }))).map((d) => ({ tokens: d.tokens, entities: d.entities, relations: d.relations }));
}

async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${url}/predict`, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  modelDir = await saveTinyModel(root);
  reference = await loadModel(modelDir);
  // A wait long enough for a loaded test machine to gather the concurrent requests below into few batches.
  server = await startServer({ model: modelDir, port: 0, maxWaitMs: 40, ...LIMITS, onBatch: (b) => batches.push(b) });
});
afterAll(async () => {
  await server?.close();
  reference?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('POST /predict', () => {
  it('text: split as `spanrel predict --text` splits it, predicted as model.predict predicts', async () => {
    const r = await post(server.url, JSON.stringify({ text: TEXT }));
    expect(r.status).toBe(200);
    const words = splitSentences(TEXT);
    expect(words).toHaveLength(2);
    expect(r.body.documents).toEqual(expected(words));
    // The tiny model predicts something, so that the comparison says something.
    expect(r.body.documents.some((d: { entities: unknown[] }) => d.entities.length > 0)).toBe(true);
  });

  it('sentences: the given words, predicted as model.predict predicts', async () => {
    const sentences = [['Kira', 'lives', 'in', 'San', 'Marino', '.'], ['Oslo'], ['Elena', 'Novak', 'met', 'Ada', '.']];
    const r = await post(server.url, JSON.stringify({ sentences }));
    expect(r.status).toBe(200);
    expect(r.body.documents).toEqual(expected(sentences));
    expect(r.body.documents.map((d: { tokens: string[] }) => d.tokens)).toEqual(sentences);
  });

  it('"scores": true: each entity and relation also carries its score, the documents are the same', async () => {
    const sentences = [['Kira', 'lives', 'in', 'San', 'Marino', '.'], ['Elena', 'Novak', 'met', 'Ada', 'in', 'Oslo', '.']];
    const r = await post(server.url, JSON.stringify({ sentences, scores: true }));
    expect(r.status).toBe(200);
    type Scored = { score: number };
    const documents = r.body.documents as { tokens: string[]; entities: Scored[]; relations: Scored[] }[];
    const withoutScores = documents.map((d) => ({ tokens: d.tokens, entities: d.entities.map(({ score: _, ...e }) => e), relations: d.relations.map(({ score: _, ...rel }) => rel) }));
    expect(withoutScores).toEqual(expected(sentences));
    const entityScores = documents.flatMap((d) => d.entities.map((e) => e.score));
    const relationScores = documents.flatMap((d) => d.relations.map((rel) => rel.score));
    expect(entityScores.length).toBeGreaterThan(0);
    // A kept span's class beats `none` and the other types: its probability is above 1 / (types + 1) and at most 1.
    for (const score of entityScores) expect(score > 1 / (TINY_SCHEMA.entities.length + 1) && score <= 1).toBe(true);
    // SpERT's relation head keeps a type when its sigmoid reaches the threshold, 0.4.
    for (const score of relationScores) expect(score >= 0.4 && score <= 1).toBe(true);
  });

  const bad: [string, string, number, RegExp][] = [
    ['bad JSON', '{"text": "Ada', 400, /^the body is not valid JSON/],
    ['an empty body', '', 400, /^the body is not valid JSON/],
    ['both fields', JSON.stringify({ text: 'Ada.', sentences: [['Ada']] }), 400, /exactly one of "text" .* and "sentences" .*; it has both/],
    ['neither field', JSON.stringify({}), 400, /exactly one of "text" .* and "sentences" .*; it has neither/],
    ['an unknown field', JSON.stringify({ text: 'Ada.', tags: true }), 400, /^invalid request: body must NOT have additional properties/],
    ['scores not a boolean', JSON.stringify({ text: 'Ada.', scores: 'yes' }), 400, /^invalid request: body\/scores must be boolean/],
    ['text not a string', JSON.stringify({ text: 42 }), 400, /^invalid request: body\/text must be string/],
    ['a word not a string', JSON.stringify({ sentences: [['Ada', 7]] }), 400, /^invalid request: body\/sentences\/0\/1 must be string/],
    ['sentences not arrays of words', JSON.stringify({ sentences: ['Ada lives in Oslo'] }), 400, /^invalid request: body\/sentences\/0 must be array/],
    ['an empty sentence', JSON.stringify({ sentences: [['Ada'], []] }), 400, /^invalid request: body\/sentences\/1 must NOT have fewer than 1 items/],
    ['no sentence', JSON.stringify({ sentences: [] }), 400, /^body\/sentences is empty/],
    ['text without words', JSON.stringify({ text: '  \n ' }), 400, /^body\/text holds no sentence/],
    ['a body that is not an object', JSON.stringify([['Ada']]), 400, /^invalid request: body must be object/],
  ];
  for (const [what, body, status, message] of bad) {
    it(`${what}: ${status} with a message that says what is wrong`, async () => {
      const r = await post(server.url, body);
      expect(r.status).toBe(status);
      expect(r.body.statusCode).toBe(status);
      expect(r.body.message).toMatch(message);
    });
  }

  it('too many sentences: 413 naming the limit, the value and the limit', async () => {
    const r = await post(server.url, JSON.stringify({ sentences: [['a'], ['b'], ['c'], ['d'], ['e']] }));
    expect(r.status).toBe(413);
    expect(r.body.message).toBe('body/sentences has 5 sentences, more than the limit of 4 per request (maxSentences)');
    expect(r.body.limit).toEqual({ name: 'maxSentences', value: 5, max: 4 });
    const text = await post(server.url, JSON.stringify({ text: 'One. Two. Three. Four. Five. Six.' }));
    expect(text.status).toBe(413);
    expect(text.body.message).toBe('body/text splits into 6 sentences, more than the limit of 4 per request (maxSentences)');
  });

  it('too long a sentence: 413 naming the sentence, its length and the limit', async () => {
    const long = ['Kira', ...Array.from({ length: 12 }, (_, i) => `w${i}`)];
    const r = await post(server.url, JSON.stringify({ sentences: [['Ada'], long] }));
    expect(r.status).toBe(413);
    expect(r.body.message).toBe('body/sentences/1 has 13 words, more than the limit of 12 per sentence (maxWordsPerSentence)');
    expect(r.body.limit).toEqual({ name: 'maxWordsPerSentence', value: 13, max: 12 });
    const text = await post(server.url, JSON.stringify({ text: `Ada lives here. ${long.join(' ')}.` }));
    expect(text.status).toBe(413);
    expect(text.body.message).toBe('sentence 1 of body/text has 14 words, more than the limit of 12 per sentence (maxWordsPerSentence)');
  });

  it('too big a body: 413 naming its size and the limit', async () => {
    const body = JSON.stringify({ text: 'Ada lives in Oslo. '.repeat(200) });
    const r = await post(server.url, body);
    expect(r.status).toBe(413);
    expect(r.body.message).toBe(`the body has ${Buffer.byteLength(body)} bytes, more than the limit of 2000 bytes per request (bodyLimitBytes)`);
    expect(r.body.limit).toEqual({ name: 'bodyLimitBytes', value: Buffer.byteLength(body), max: 2000 });
  });

  it('another content type: 415; plain text is not a JSON object: 400', async () => {
    const r = await post(server.url, '<text>Ada lives in Oslo.</text>', { 'content-type': 'application/xml' });
    expect(r.status).toBe(415);
    expect(r.body.message).toBe('the body must be JSON (content-type: application/json), not application/xml');
    const plain = await post(server.url, 'Ada lives in Oslo.', { 'content-type': 'text/plain' });
    expect(plain.status).toBe(400);
    expect(plain.body.message).toBe('invalid request: body must be object');
  });

  it('still answers after the bad requests', async () => {
    const r = await post(server.url, JSON.stringify({ sentences: [['Ada', 'lives', 'in', 'Oslo']] }));
    expect(r.status).toBe(200);
    expect(r.body.documents).toEqual(expected([['Ada', 'lives', 'in', 'Oslo']]));
  });
});

describe('batching', () => {
  it('concurrent requests share forward passes, and each gets its own answer', async () => {
    const requests = [
      [['Ada', 'Brandt', 'lives', 'in', 'Oslo', '.']],
      [['Hugo', 'met', 'Kira', '.'], ['Prices', 'rose', '.']],
      [['Kira']],
      [['San', 'Marino', 'is', 'small', '.']],
      [['Elena', 'Novak', 'and', 'her', 'brother', 'Hugo', 'met', 'in', 'Porto', '.']],
      [['Oslo', '.'], ['Porto', '.'], ['Ada', '.']],
      [['Boris', 'Costa', 'works', 'in', 'Porto']],
      [['Hugo', 'lives', 'in', 'Oslo']],
    ];
    const before = server.stats();
    const seen = batches.length;
    const answers = await Promise.all(requests.map((sentences) => post(server.url, JSON.stringify({ sentences }))));
    answers.forEach((r, i) => {
      expect(r.status).toBe(200);
      expect(r.body.documents).toEqual(expected(requests[i]));
    });
    const after = server.stats();
    expect(after.requests - before.requests).toBe(requests.length);
    const passes = after.batches - before.batches;
    expect(passes).toBeLessThan(requests.length);
    // Every sentence went through exactly one forward pass.
    const sentences = batches.slice(seen).reduce((n, b) => n + b.items, 0);
    expect(sentences).toBe(requests.flat().length);
    expect(batches.slice(seen).some((b) => b.requests > 1)).toBe(true);
  });
});

describe('GET', () => {
  it('/model: the types, the components and the preset of the training run', async () => {
    const r = await fetch(`${server.url}/model`);
    expect(r.status).toBe(200);
    const info = (await r.json()) as ModelInfo;
    expect(info.entityTypes).toEqual(TINY_SCHEMA.entities);
    expect(info.relationTypes).toEqual(TINY_SCHEMA.relations);
    expect(info.encoder.name).toBe(reference.encoder.name);
    expect(info.relationHead).toBe('spert-relation-head.v1');
    expect(info.tagger).toBe(false);
    expect(info.decoding.maxSpanWidth).toBe(4);
    expect(info.preset).toBeNull(); // saved without a training run
  });

  it('/health: ok, with the counts', async () => {
    const r = await fetch(`${server.url}/health`);
    expect(r.status).toBe(200);
    const health = (await r.json()) as { status: string; batches: number };
    expect(health.status).toBe('ok');
    expect(health.batches).toBe(server.stats().batches);
  });
});

describe('close', () => {
  it('finishes the request in flight, then refuses connections', async () => {
    // A batching wait far longer than the test keeps the request in flight while close() starts: close() runs it at once.
    const closing = await startServer({ model: reference, port: 0, maxWaitMs: 60_000 });
    const sentences = [['Ada', 'lives', 'in', 'Oslo', '.']];
    const inFlight = post(closing.url, JSON.stringify({ sentences }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closing.stats().requests).toBe(1);
    expect(closing.stats().batches).toBe(0);
    let closed = false;
    const done = closing.close().then(() => {
      closed = true;
    });
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.body.documents).toEqual(expected(sentences));
    await done;
    expect(closed).toBe(true);
    await expect(fetch(`${closing.url}/health`)).rejects.toThrow();
    // The server was given a loaded model: it is the caller's, still usable.
    expect(reference.predict([{ tokens: ['Ada'] }])).toHaveLength(1);
  });
});
