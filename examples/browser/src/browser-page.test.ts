/**
 * The browser example end to end: trains a tiny model in Node (fixed word
 * vectors, so the page fetches them too), bundles the page for the browser
 * from the packages' sources, serves page + model + .wasm on loopback, types a
 * text in real headless Chromium and checks that the entities and relations
 * the page shows are exactly what `model.predict` gives in Node on that text,
 * with no console error. The same for a model with a tiny BERT encoder (its
 * tokenizer run by transformers.js in the page).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Document, TypeSchema } from '@spanrel/datasets';
import { buildModel, resolveSpec, saveModel, splitSentences, train, type JointModel } from '@spanrel/joint';
import { initBackend } from '@spanrel/tensor-core';
// Plain JS (run by `pnpm build` / `pnpm serve` with no compile step); tsconfig's allowJs types them.
import { buildPage } from '../scripts/build.mjs';
import { servePage } from '../scripts/serve.mjs';

const CHROMIUM = '/usr/bin/chromium';
const TEXT = 'Ada Brandt works for Kestrel Labs. Hugo Novak lives in Oslo.';
/** The tiny BERT's vocabulary has these words; the accents, CJK and unknown words go through its normalizer and [UNK]. */
const BERT_TEXT = 'John Smith works for Acme Corp in New York. She was born in Paris, naïve Zoë liked 東京 unbelievable!';
const TINY_BERT = fileURLToPath(new URL('../../../packages/encoders/fixtures/tiny-bert', import.meta.url));

const SCHEMA: TypeSchema = {
  entities: [
    { name: 'Person', short: 'Per', verbose: 'Person' },
    { name: 'Organization', short: 'Org', verbose: 'Organization' },
    { name: 'Location', short: 'Loc', verbose: 'Location' },
  ],
  relations: [
    { name: 'Work_For', short: 'Work', verbose: 'Work for', symmetric: false },
    { name: 'Live_In', short: 'Live', verbose: 'Live in', symmetric: false },
  ],
};
const PEOPLE = [['Ada', 'Brandt'], ['Hugo', 'Novak'], ['Elena', 'Costa'], ['Kira', 'Lind'], ['Boris', 'Moreau']];
const ORGS = [['Kestrel', 'Labs'], ['Northwind', 'Bank'], ['Quantum', 'Press'], ['Harbor', 'Energy']];
const PLACES = [['Oslo'], ['Porto'], ['San', 'Marino'], ['Ghent']];

/** `n` sentences "P works for O ." / "P lives in L .", every combination in turn (no randomness needed). */
function corpus(n: number): Document[] {
  return Array.from({ length: n }, (_, i) => {
    const person = PEOPLE[i % PEOPLE.length];
    const [verb, other, type, relation] = i % 2 === 0 ? [['works', 'for'], ORGS[(i >> 1) % ORGS.length], 'Organization', 'Work_For'] : [['lives', 'in'], PLACES[(i >> 1) % PLACES.length], 'Location', 'Live_In'];
    const tokens = [...person, ...verb, ...other, '.'];
    const start = person.length + verb.length;
    return {
      id: `s${i}`,
      tokens,
      entities: [{ type: 'Person', start: 0, end: person.length }, { type, start, end: start + other.length }],
      relations: [{ type: relation, head: 0, tail: 1 }],
    };
  });
}

/** A GloVe-format text file with a seeded 8-d vector for every word of `docs`. */
function writeVectors(path: string, docs: Document[]): void {
  const words = [...new Set(docs.flatMap((d) => d.tokens.map((t) => t.toLowerCase())))];
  let seed = 7;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  writeFileSync(path, words.map((w) => `${w} ${Array.from({ length: 8 }, () => next().toFixed(4)).join(' ')}`).join('\n'));
}

/** What the page shows, in the form it shows it: spans and types of every entity and relation, per sentence. */
function shown(docs: readonly Document[]) {
  return {
    entities: docs.flatMap((d, sentence) => d.entities.map((e) => ({ sentence, start: e.start, end: e.end, type: e.type }))),
    relations: docs.flatMap((d, sentence) =>
      d.relations.map((r) => {
        const [head, tail] = [d.entities[r.head], d.entities[r.tail]];
        return { sentence, type: r.type, head: { start: head.start, end: head.end, type: head.type }, tail: { start: tail.start, end: tail.end, type: tail.type } };
      }),
    ),
  };
}

const root = mkdtempSync(join(tmpdir(), 'spanrel-browser-example-'));
let model: JointModel | undefined;
let bertModel: JointModel | undefined;
let browser: Browser | undefined;
let server: { url: string; close(): Promise<void> } | undefined;
let bertServer: { url: string; close(): Promise<void> } | undefined;

/**
 * A SpERT model on the tiny BERT fixture, saved to `dir`: weights moved off the
 * fixture's (so the page cannot pass with BERT's own) and the entity classifier's
 * "none" bias lowered, so that an untrained model still predicts entities.
 */
async function saveTinyBertModel(dir: string): Promise<JointModel> {
  const docs = corpus(8);
  const spec = resolveSpec('spert', { overrides: { encoder: `bert:${TINY_BERT}`, spanHead: { config: { widthDim: 4 } }, maxSpanWidth: 3, seed: 1 } });
  const bert = await buildModel(spec, SCHEMA, docs);
  let seed = 11;
  for (const v of bert.parameters().values()) v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.1, 'float32', seed++)));
  const classes = bert.entityClassifier.outputDim;
  for (const v of bert.entityClassifier.parameters().values()) if (v.rank === 1 && v.shape[0] === classes) v.assign(tf.tensor1d([-3, ...new Array(classes - 1).fill(0)]));
  await saveModel(bert, dir);
  return bert;
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/system-deps.sh (installs Debian's chromium) to run the browser example's test`);
  await initBackend({ backend: 'wasm' }); // the kernels the page runs on
  const docs = corpus(40);
  writeVectors(join(root, 'vectors.txt'), docs);
  const spec = resolveSpec('spert', {
    overrides: {
      encoder: { config: { wordEmbedding: { mode: 'fixed', source: join(root, 'vectors.txt') }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
      spanHead: { config: { widthDim: 4 } },
      seed: 1,
      training: { epochs: 12, batchSize: 8, sampling: { negativeEntities: 20, negativeRelations: 20 }, optimizer: { lr: { peakLr: 0.02 } } },
    },
  });
  const [trained] = await Promise.all([
    train({ spec, schema: SCHEMA, train: docs, dev: docs.slice(0, 8), vectorDocs: [{ id: 'text', tokens: splitSentences(TEXT).flat(), entities: [], relations: [] }], outDir: join(root, 'run') }),
    buildPage({ outDir: join(root, 'page'), fromSource: true }),
  ]);
  model = trained.model;
  bertModel = await saveTinyBertModel(join(root, 'bert-model'));
  server = await servePage({ pageDir: join(root, 'page'), modelDir: join(root, 'run', 'model') });
  bertServer = await servePage({ pageDir: join(root, 'page'), modelDir: join(root, 'bert-model') });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await bertServer?.close();
  model?.dispose();
  bertModel?.dispose();
  rmSync(root, { recursive: true, force: true });
});

/**
 * Opens the page served at `url`, types `text`, and checks that it shows
 * exactly what `node` predicts on it, with no console error and no failed request.
 * @returns what Node predicted (for checks that it found something)
 */
async function checkPageAgainstNode(url: string, node: JointModel, text: string): Promise<ReturnType<typeof shown>> {
  const expected = shown(node.predict(splitSentences(text).map((tokens) => ({ tokens }))));
  // The comparison means something only if the model finds something.
  expect(expected.entities.length, 'the tiny model predicts no entity').toBeGreaterThan(0);

  const page = await browser!.newPage();
  const problems: string[] = [];
  const fetched: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });

  await page.goto(url);
  await page.waitForSelector('#status[data-state="ready"], #status[data-state="error"]', { timeout: 60_000 });
  expect(await page.textContent('#status')).toMatch(/^Model loaded .*backend wasm/);
  await page.fill('#text', text);
  await page.click('button[type="submit"]');
  await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 30_000 });
  expect(await page.textContent('#status')).toMatch(/^2 sentence\(s\)/);

  const onPage = await page.evaluate(() => {
    const span = (e: HTMLElement, prefix: string) => ({ start: Number(e.dataset[`${prefix}Start`]), end: Number(e.dataset[`${prefix}End`]), type: e.dataset[`${prefix}Type`] });
    const sentenceOf = (e: HTMLElement) => Number(e.closest<HTMLElement>('.sentence')!.dataset.sentence);
    return {
      entities: [...document.querySelectorAll<HTMLElement>('li.entity')].map((e) => ({ sentence: sentenceOf(e), ...span(e, 'entity') })),
      relations: [...document.querySelectorAll<HTMLElement>('li.relation')].map((e) => ({ sentence: sentenceOf(e), type: e.dataset.type, head: span(e, 'head'), tail: span(e, 'tail') })),
      marks: [...document.querySelectorAll<HTMLElement>('mark')].map((e) => ({ sentence: sentenceOf(e), ...span(e, 'entity'), text: e.firstChild!.textContent })),
    };
  });
  expect(onPage.entities).toEqual(expected.entities);
  expect(onPage.relations).toEqual(expected.relations);
  // Every highlighted span is a predicted entity, with its words.
  const words = splitSentences(text);
  for (const mark of onPage.marks) {
    expect(expected.entities).toContainEqual({ sentence: mark.sentence, start: mark.start, end: mark.end, type: mark.type });
    expect(mark.text).toBe(words[mark.sentence].slice(mark.start, mark.end).join(' '));
  }
  expect(onPage.marks.length).toBeGreaterThan(0);
  expect(problems).toEqual([]);
  // transformers.js is in its own chunk: fetched for a BERT model only.
  const transformersChunk = fetched.some((path) => /\/chunks\/transformers\.web-[^/]*\.js$/.test(path));
  expect(transformersChunk, 'whether the page fetched transformers.js').toBe(node.encoder.name === 'bert-encoder.v1');
  await page.close();
  return expected;
}

it('the page shows the entities and relations model.predict gives in Node, with no console error', async () => {
  const expected = await checkPageAgainstNode(server!.url, model!, TEXT);
  expect(expected.relations.length, 'the tiny model predicts no relation').toBeGreaterThan(0);
}, 90_000);

it('a model with a BERT encoder: the page (transformers.js tokenizer, BERT on wasm) shows what Node predicts', async () => {
  expect(bertModel!.encoder.name).toBe('bert-encoder.v1');
  await checkPageAgainstNode(bertServer!.url, bertModel!, BERT_TEXT);
}, 90_000);
