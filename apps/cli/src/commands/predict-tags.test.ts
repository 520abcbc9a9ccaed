/**
 * `spanrel predict --tags`: a tiny STSN model (built and saved here, random
 * tag classifier so that its tags vary) prints each sentence's `word/TAG` line and writes
 * a `tags` array per document, both equal to an argmax of the tagger's logits
 * computed one sentence at a time; a model without a tagger is refused, naming
 * its folder.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@spanrel/datasets';
import { buildModel, loadModel, resolveSpec, saveModel, splitSentences, type JointModel } from '@spanrel/joint';
import { initBackend, randomTensor } from '@spanrel/tensor-core';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { runCaptured } from '../testing/capture-io.js';
import { predictCommand } from './predict.js';

const run = runCaptured;

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-tags-'));
const stsnDir = join(dir, 'stsn');
const spertDir = join(dir, 'spert');
const TEXT = 'Ada Brandt works for Kestrel Labs. She lives in Oslo. Prices rose on Monday.';

// Tiny dimensions: encoder states of 16, one attention layer of 2 heads, label embeddings of 4.
const TINY = {
  encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
  spanHead: { config: { widthDim: 4 } },
};

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
  const docs = syntheticCorpus(12, createRng(4), 'tags');
  const stsn = await buildModel(
    // The paper's stack (post-LN, no input norm): its random weights give varied tags.
    resolveSpec('stsn', { overrides: { ...TINY, tokenInteraction: { config: { numLayers: 1, numHeads: 2, norm: 'post', inputLayerNorm: false } }, tagger: { config: { labelDim: 4 } } } }),
    SYNTHETIC_SCHEMA,
    docs,
  );
  // A random tag classifier, so that the predicted tags vary (the heads keep their initial weights).
  let seed = 60;
  for (const [name, v] of stsn.parameters()) {
    if (!name.startsWith('tagger.classifier.')) continue;
    const random = randomTensor(v.shape, seed++, -0.8, 0.8);
    v.assign(random);
    random.dispose();
  }
  await saveModel(stsn, stsnDir);
  stsn.dispose();
  const spert = await buildModel(resolveSpec('spert', { overrides: TINY }), SYNTHETIC_SCHEMA, docs);
  await saveModel(spert, spertDir);
  spert.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The tags of one sentence, alone: argmax of the tagger's logits per word (first maximum), named by the saved config's tags. */
function naiveTags(model: JointModel, tokens: readonly string[]): string[] {
  const names = model.tagger!.config().tags;
  const enc = model.encoder.encode({ tokens: [[...tokens]] }, false); // hidden [1, T, D]
  const views = model.tokenInteraction!.apply(enc.hidden, enc.mask, false);
  const scores = model.tagger!.logits(views.label); // [1, T, tags]
  const logits = scores.arraySync()[0]; // [T, tags]
  for (const t of [enc.hidden, enc.mask, enc.cls, views.label, views.entity, views.relation, scores]) t.dispose();
  return logits.map((row) => names[row.reduce((best, x, k) => (x > row[best] ? k : best), 0)]);
}

async function expectedTags(): Promise<{ tokens: string[]; tags: string[] }[]> {
  const model = await loadModel(stsnDir);
  const out = splitSentences(TEXT).map((tokens) => ({ tokens, tags: naiveTags(model, tokens) }));
  model.dispose();
  return out;
}

describe('spanrel predict --tags', () => {
  it('prints each sentence\'s word/TAG line after its entities and relations, and writes a tags array per document', async () => {
    const out = join(dir, 'pred.json');
    const r = await run(predictCommand, ['--model', stsnDir, '--text', TEXT, '--out', out, '--tags', '--backend', 'cpu']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const expected = await expectedTags();
    expect(expected.length).toBe(3);
    expect(new Set(expected.flatMap((s) => s.tags)).size).toBeGreaterThanOrEqual(3); // varied tags: the comparison means something
    const lines = r.stdout.split('\n');
    for (const { tokens, tags } of expected) {
      const at = lines.indexOf(`  ${tokens.join(' ')}`);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(lines[at + 1]).toMatch(/^ {4}entities: /);
      expect(lines[at + 2]).toMatch(/^ {4}relations: /);
      expect(lines[at + 3]).toBe(`    tags:      ${tokens.map((word, i) => `${word}/${tags[i]}`).join(' ')}`);
    }
    const written = JSON.parse(readFileSync(out, 'utf8')) as { tokens: string[]; tags: string[]; entities: unknown[] }[];
    expect(written.map((d) => d.tokens)).toEqual(expected.map((s) => s.tokens));
    expect(written.map((d) => d.tags)).toEqual(expected.map((s) => s.tags));
    expect(written.every((d) => d.tags.length === d.tokens.length)).toBe(true);
    expect(Object.keys(written[0])).toEqual(['tokens', 'entities', 'relations', 'tags']);
  });

  it('without --out, the printed SpERT JSON carries the tags; without --tags, none', async () => {
    const tagged = await run(predictCommand, ['--model', stsnDir, '--text', TEXT, '--tags', '--backend', 'cpu']);
    expect(tagged.code).toBe(0);
    const expected = await expectedTags();
    expect((JSON.parse(tagged.stdout) as { tags: string[] }[]).map((d) => d.tags)).toEqual(expected.map((s) => s.tags));
    const plain = await run(predictCommand, ['--model', stsnDir, '--text', TEXT, '--backend', 'cpu']);
    expect(plain.code).toBe(0);
    expect((JSON.parse(plain.stdout) as object[]).every((d) => !('tags' in d))).toBe(true);
  });

  it('refuses --tags for a model without a tagger (naming its folder) and an --out that is not SpERT JSON', async () => {
    const r = await run(predictCommand, ['--model', spertDir, '--text', TEXT, '--tags', '--backend', 'cpu']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${spertDir}: --tags: only STSN-style models (with a tagger) predict tags`);
    const jsonl = await run(predictCommand, ['--model', stsnDir, '--text', TEXT, '--tags', '--out', join(dir, 'pred.jsonl'), '--backend', 'cpu']);
    expect(jsonl.code).toBe(2);
    expect(jsonl.stderr).toMatch(/--tags writes the tags into SpERT JSON: give --out a \.json file/);
  });
});
