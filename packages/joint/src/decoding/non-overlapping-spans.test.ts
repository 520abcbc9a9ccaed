/**
 * Flat decoding: with `entityOverlap: "flat"` the most probable of overlapping
 * predicted spans wins; `auto` decides it from the training documents and the
 * choice is saved with the model (a model saved before it keeps `allow`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, type Document } from '@spanrel/datasets';
import { initBackend } from '@spanrel/tensor-core';
import { checkSpec } from '../config/check-spec.js';
import { loadModel, MODEL_CONFIG_FILE, saveModel } from '../io/model-folder.js';
import { buildModel, resolveEntityOverlap } from '../model/build-model.js';
import { acceptEverySpan } from '../testing/accept-every-span.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { decodeBatch } from './decode.js';
import { hasOverlappingEntities, keepNonOverlapping } from './non-overlapping-spans.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-flat-'));

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const overlaps = (a: readonly [number, number], b: readonly [number, number]) => a[0] < b[1] && b[0] < a[1];

describe('keepNonOverlapping', () => {
  it('keeps the most probable of nested and crossing spans; touching spans do not overlap', () => {
    // spans: 0 "John Smith" [0, 2), 1 "Smith" [1, 2), 2 "Smith lives" [1, 3), 3 "lives" [2, 3), 4 "Paris" [4, 5)
    const spans: [number, number][][] = [[[0, 2], [1, 2], [1, 3], [2, 3], [4, 5]]];
    const kept = { indices: [[0, 1, 2, 3, 4]], classes: [[1, 1, 2, 3, 3]], scores: [[0.9, 0.95, 0.5, 0.6, 0.7]] };
    // by score: Smith (0.95) wins; John Smith and Smith lives overlap it; lives [2, 3) only touches it; Paris stays
    expect(keepNonOverlapping(kept, spans)).toEqual({ indices: [[1, 3, 4]], classes: [[1, 3, 3]], scores: [[0.95, 0.6, 0.7]] });
  });

  it('breaks ties toward the earlier span and leaves sentences independent', () => {
    const spans: [number, number][][] = [
      [[0, 1], [0, 2]],
      [[0, 1], [0, 2]],
    ];
    const kept = { indices: [[0, 1], [1]], classes: [[1, 2], [2]], scores: [[0.5, 0.5], [0.8]] };
    expect(keepNonOverlapping(kept, spans)).toEqual({ indices: [[0], [1]], classes: [[1], [2]], scores: [[0.5], [0.8]] });
  });

  it('on random predictions: no two kept spans overlap, every dropped span overlaps a kept one at least as probable', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 200; trial++) {
      const words = 1 + rng.int(12);
      const all: [number, number][] = [];
      for (let s = 0; s < words; s++) for (let e = s + 1; e <= Math.min(words, s + 4); e++) all.push([s, e]);
      const indices = all.map((_, i) => i).filter(() => rng.int(3) === 0);
      const scores = indices.map(() => Math.round(rng.next() * 10) / 10); // coarse: ties happen
      const result = keepNonOverlapping({ indices: [indices], classes: [indices.map(() => 1)], scores: [scores] }, [all]);
      const keptIdx = result.indices[0];
      expect(keptIdx).toEqual([...keptIdx].sort((a, b) => a - b));
      for (let i = 0; i < keptIdx.length; i++) for (let j = i + 1; j < keptIdx.length; j++) expect(overlaps(all[keptIdx[i]], all[keptIdx[j]])).toBe(false);
      indices.forEach((s, k) => {
        if (keptIdx.includes(s)) return;
        const winner = keptIdx.some((w) => overlaps(all[w], all[s]) && scores[indices.indexOf(w)] >= scores[k]);
        expect(winner).toBe(true);
      });
    }
  });
});

describe('hasOverlappingEntities', () => {
  it('is true for nested or crossing entities, false for disjoint or touching ones (any order)', () => {
    expect(hasOverlappingEntities([])).toBe(false);
    expect(hasOverlappingEntities([{ start: 3, end: 5 }, { start: 0, end: 3 }])).toBe(false);
    expect(hasOverlappingEntities([{ start: 0, end: 5 }, { start: 6, end: 7 }, { start: 2, end: 3 }])).toBe(true); // nested, not adjacent in the list
    expect(hasOverlappingEntities([{ start: 0, end: 2 }, { start: 1, end: 3 }])).toBe(true); // crossing
  });

  it('agrees with a check of every pair on random entity lists', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 300; trial++) {
      const entities = Array.from({ length: rng.int(5) }, () => {
        const start = rng.int(10);
        return { start, end: start + 1 + rng.int(3) };
      });
      const naive = entities.some((a, i) => entities.some((b, j) => i < j && overlaps([a.start, a.end], [b.start, b.end])));
      expect(hasOverlappingEntities(entities)).toBe(naive);
    }
  });
});

describe('entityOverlap setting', () => {
  const nested: Document = { id: 'nested', tokens: ['Bank', 'of', 'Paris', 'opened'], entities: [{ type: 'Organization', start: 0, end: 3 }, { type: 'Location', start: 2, end: 3 }], relations: [] };

  it('auto is flat when no training document has overlapping entities, allow otherwise; an explicit setting wins', () => {
    const flatDocs = tinyCorpus(12);
    expect(flatDocs.some((d) => hasOverlappingEntities(d.entities))).toBe(false);
    expect(resolveEntityOverlap(undefined, flatDocs)).toBe('flat');
    expect(resolveEntityOverlap('auto', [...flatDocs, nested])).toBe('allow');
    expect(resolveEntityOverlap('allow', flatDocs)).toBe('allow');
    expect(resolveEntityOverlap('flat', [nested])).toBe('flat');
  });

  it('is checked in a spec', () => {
    const spec = tinySpec('spert');
    expect(() => checkSpec({ ...spec, entityOverlap: 'auto' })).not.toThrow();
    expect(() => checkSpec({ ...spec, entityOverlap: 'nested' })).toThrow(/entityOverlap/);
  });

  it('is saved with the model; a model saved without it keeps overlapping entities; a bad value names the file', async () => {
    const model = await buildModel(tinySpec('spert'), TINY_SCHEMA, tinyCorpus(8));
    const dir = join(root, 'model');
    try {
      expect(model.decoding.entityOverlap).toBe('flat');
      await saveModel(model, dir);
    } finally {
      model.dispose();
    }
    const config = JSON.parse(readFileSync(join(dir, MODEL_CONFIG_FILE), 'utf8'));
    expect(config.entityOverlap).toBe('flat');
    delete config.entityOverlap;
    writeFileSync(join(dir, MODEL_CONFIG_FILE), JSON.stringify(config));
    const old = await loadModel(dir);
    expect(old.decoding.entityOverlap).toBe('allow');
    old.dispose();
    writeFileSync(join(dir, MODEL_CONFIG_FILE), JSON.stringify({ ...config, entityOverlap: 'nested' }));
    await expect(loadModel(dir)).rejects.toThrow(/config\.json: "entityOverlap" must be "allow" or "flat"/);
  });

  for (const presetName of ['spert', 'twophase', 'stsn'] as const) {
    it(`${presetName}: flat decoding keeps what keepNonOverlapping keeps of the allow decoding, before the cap`, async () => {
      const options = { maxSpanWidth: 3, keptSpansPerWord: null, maxKeptSpans: null };
      const allow = await buildModel(tinySpec(presetName, { ...options, entityOverlap: 'allow' }), TINY_SCHEMA, tinyCorpus(12));
      const flat = await buildModel(tinySpec(presetName, { ...options, entityOverlap: 'flat' }), TINY_SCHEMA, tinyCorpus(12));
      try {
        for (const m of [allow, flat]) acceptEverySpan(m);
        const tokens = [tinyCorpus(3, 2)[2].tokens.slice(0, 7), tinyCorpus(3, 2)[0].tokens.slice(0, 5)];
        const [all, kept] = [decodeBatch(allow, tokens), decodeBatch(flat, tokens)];
        tokens.forEach((words, b) => {
          const spans = all[b].spans;
          expect(spans.length).toBeGreaterThan(words.length); // overlapping spans were predicted
          const expected = keepNonOverlapping(
            { indices: [spans.map((_, k) => k)], classes: [spans.map((s) => s.type + 1)], scores: [spans.map((s) => s.score)] },
            [spans.map((s) => [s.start, s.end] as [number, number])],
          ).indices[0].map((k) => spans[k]);
          expect(kept[b].spans).toEqual(expected);
          const covered = new Set(kept[b].spans.flatMap((s) => Array.from({ length: s.end - s.start }, (_, i) => s.start + i)));
          expect(covered.size).toBe(kept[b].spans.reduce((n, s) => n + s.end - s.start, 0)); // no word twice
        });
      } finally {
        allow.dispose();
        flat.dispose();
      }
    });
  }
});
