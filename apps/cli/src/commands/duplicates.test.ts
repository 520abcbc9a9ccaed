/**
 * Data files with duplicate entities and relations (e.g. SciERC's SpERT JSON train split
 * repeats a relation in 4 documents): the commands that read data merge them and print one
 * warning per file; with --strict they refuse the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, readDocuments, writeDocuments, writeTypeSchema, type Document } from '@spanrel/datasets';
import { runCaptured } from '../testing/capture-io.js';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { convertCommand } from './convert.js';
import { evaluateCommand } from './evaluate.js';
import { statsCommand } from './stats.js';
import { trainCommand } from './train.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-dupes-'));
const paths = { train: join(dir, 'train.json'), dev: join(dir, 'dev.json'), types: join(dir, 'types.json'), config: join(dir, 'tiny.json') };
const corpus = syntheticCorpus(24, createRng(7), 'dupes');

/** The first document with a relation gets a duplicate of its head entity, a relation to that copy, and a repeat of its first relation. */
function withDuplicates(docs: Document[]): { docs: Document[]; index: number } {
  const index = docs.findIndex((d) => d.relations.length > 0);
  const d = docs[index];
  const r = d.relations[0];
  const copy = d.entities.length;
  const noisy: Document = { ...d, entities: [...d.entities, { ...d.entities[r.head] }], relations: [...d.relations, { ...r, head: copy }, { ...r }] };
  return { docs: docs.map((x, i) => (i === index ? noisy : x)), index };
}

const noisy = withDuplicates(corpus.slice(0, 20));

beforeAll(() => {
  writeDocuments(paths.train, noisy.docs, 'spert', { origId: 'id' });
  writeDocuments(paths.dev, corpus.slice(20), 'spert');
  writeTypeSchema(paths.types, SYNTHETIC_SCHEMA);
  writeFileSync(
    paths.config,
    JSON.stringify({
      encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
      spanHead: { config: { widthDim: 4 } },
      training: { epochs: 1, batchSize: 8, sampling: { negativeEntities: 10, negativeRelations: 10 }, optimizer: { lr: { peakLr: 0.01 } } },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('duplicate entities and relations in data files', () => {
  const doc = () => noisy.docs[noisy.index];
  const warningOf = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:') || l.startsWith('  document'));

  it('stats merges them and prints one warning naming the file, the document and the fields', async () => {
    const r = await runCaptured(statsCommand, ['--data', paths.train, '--types', paths.types, '--json']);
    expect(r.code).toBe(0);
    const lines = warningOf(r.stderr);
    expect(lines[0]).toBe(`warning: ${paths.train}: 3 duplicate annotations merged (run with --strict to make them errors)`);
    const where = `  document ${noisy.index} (id ${doc().id}): `;
    expect(lines.slice(1)).toEqual([
      `${where}entities[${doc().entities.length - 1}] duplicates entities[${doc().relations[0].head}] (same span [${doc().entities[doc().relations[0].head].start}, ${doc().entities[doc().relations[0].head].end}) and type "${doc().entities[doc().relations[0].head].type}"): merged into it; relations[${doc().relations.length - 2}] re-pointed to entities[${doc().relations[0].head}]`,
      `${where}relations[${doc().relations.length - 2}] duplicates relations[0] (same type, head and tail, once duplicate entities are merged): dropped`,
      `${where}relations[${doc().relations.length - 1}] duplicates relations[0] (same type, head and tail): dropped`,
    ]);
    const stats = JSON.parse(r.stdout);
    expect(JSON.stringify(stats)).toContain(String(corpus.slice(0, 20).reduce((n, d) => n + d.relations.length, 0)));
  });

  it('stats --strict refuses the file', async () => {
    const r = await runCaptured(statsCommand, ['--data', paths.train, '--types', paths.types, '--strict']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${paths.train}: document ${noisy.index} (id ${doc().id}): entities[${doc().entities.length - 1}] duplicates entities[`);
  });

  it('train accepts the file with the warning; --strict refuses it', async () => {
    const args = ['--preset', 'spert', '--config', paths.config, '--train', paths.train, '--dev', paths.dev, '--types', paths.types, '--backend', 'cpu'];
    const r = await runCaptured(trainCommand, [...args, '--out', join(dir, 'run')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warning: ${paths.train}: 3 duplicate annotations merged`);
    const strict = await runCaptured(trainCommand, [...args, '--out', join(dir, 'run-strict'), '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/duplicates entities\[\d+\] \(same span/);
  });

  it('convert writes the merged documents; evaluate --strict checks the gold file', async () => {
    const out = join(dir, 'merged.json');
    const r = await runCaptured(convertCommand, ['--input', paths.train, '--output', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 duplicate annotations merged');
    expect(readDocuments(out, { strict: true })[noisy.index].relations).toEqual(corpus[noisy.index].relations);
    const evaluated = await runCaptured(evaluateCommand, ['--gold', paths.train, '--pred', paths.train, '--types', paths.types, '--strict']);
    expect(evaluated.code).toBe(1);
    expect(evaluated.stderr).toContain('duplicates');
  });
});
