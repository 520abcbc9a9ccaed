/**
 * Randomized check: `evaluate` and `evaluateBreakdowns` against a second,
 * deliberately naive implementation written here from the conventions alone —
 * plain arrays, no sets or keys, duplicates and matches found by nested loops,
 * symmetric relations matched "in either direction" instead of canonicalised,
 * overlap found by walking tokens, buckets by if-chains, F1 as 2PR/(P+R).
 */
import type { Document, TypeSchema } from '@spanrel/datasets';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateBreakdowns, type Breakdown, type TaskScores } from './index.js';

// ---------------------------------------------------------------- random input

function rng(seed: number): () => number {
  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomSchema(rand: () => number): TypeSchema {
  const nE = 1 + Math.floor(rand() * 4);
  const nR = 1 + Math.floor(rand() * 4);
  return {
    entities: Array.from({ length: nE }, (_, i) => ({ name: `E${i}`, short: `E${i}`, verbose: `E${i}` })),
    relations: Array.from({ length: nR }, (_, i) => ({
      name: `R${i}`,
      short: `R${i}`,
      verbose: `R${i}`,
      symmetric: rand() < 0.4,
    })),
  };
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function randomGold(rand: () => number, schema: TypeSchema, id: number): Document {
  const length = rand() < 0.2 ? 50 + Math.floor(rand() * 15) : Math.floor(rand() * 50);
  const tokens = Array.from({ length }, (_, i) => `t${i}`);
  const entities = [];
  const nEnt = length === 0 ? 0 : Math.floor(rand() * 7);
  for (let k = 0; k < nEnt; k++) {
    const start = Math.floor(rand() * length);
    const width = 1 + Math.floor(rand() * Math.min(12, length - start));
    entities.push({ start, end: start + width, type: pick(rand, schema.entities).name });
  }
  const relations = [];
  const nRel = entities.length === 0 ? 0 : Math.floor(rand() * 6);
  for (let k = 0; k < nRel; k++) {
    relations.push({
      type: pick(rand, schema.relations).name,
      head: Math.floor(rand() * entities.length),
      tail: Math.floor(rand() * entities.length),
    });
  }
  return { id: `g${id}`, tokens, entities, relations };
}

/** A prediction derived from gold: wrong types, shifted boundaries, drops, duplicates, reversals, spurious tuples. */
function perturb(rand: () => number, gold: Document, schema: TypeSchema): Document {
  const n = gold.tokens.length;
  const entities: Document['entities'] = [];
  const newIndex: number[] = [];
  for (const e of gold.entities) {
    const r = rand();
    if (r < 0.1) {
      newIndex.push(-1); // missing entity
      continue;
    }
    let { start, end, type } = e;
    if (r < 0.25) type = pick(rand, schema.entities).name; // (possibly) wrong type
    else if (r < 0.4) {
      // shifted boundary, kept inside the sentence and non-empty
      if (rand() < 0.5) start = Math.max(0, Math.min(end - 1, start + (rand() < 0.5 ? -1 : 1)));
      else end = Math.min(n, Math.max(start + 1, end + (rand() < 0.5 ? -1 : 1)));
    }
    newIndex.push(entities.length);
    entities.push({ start, end, type });
    if (rand() < 0.1) entities.push({ start, end, type }); // duplicate
  }
  const spurious = n === 0 ? 0 : Math.floor(rand() * 3);
  for (let k = 0; k < spurious; k++) {
    const start = Math.floor(rand() * n);
    entities.push({ start, end: start + 1 + Math.floor(rand() * Math.min(4, n - start)), type: pick(rand, schema.entities).name });
  }
  const relations: Document['relations'] = [];
  for (const rel of gold.relations) {
    let head = newIndex[rel.head]!;
    let tail = newIndex[rel.tail]!;
    const r = rand();
    if (head < 0 || tail < 0 || r < 0.1) continue; // missing relation
    let type = rel.type;
    if (r < 0.25) type = pick(rand, schema.relations).name;
    else if (r < 0.45) [head, tail] = [tail, head]; // reversed
    relations.push({ type, head, tail });
    if (rand() < 0.1) relations.push({ type, head: tail, tail: head }); // both directions
    if (rand() < 0.1) relations.push({ type, head, tail }); // exact duplicate
  }
  const extra = entities.length === 0 ? 0 : Math.floor(rand() * 3);
  for (let k = 0; k < extra; k++) {
    relations.push({
      type: pick(rand, schema.relations).name,
      head: Math.floor(rand() * entities.length),
      tail: Math.floor(rand() * entities.length),
    });
  }
  return { id: `p-${gold.id}`, tokens: [...gold.tokens], entities, relations };
}

// ---------------------------------------------------------------- naive implementation

type Ent = { s: number; e: number; t: string };
type Rel = { t: string; h: Ent; a: Ent }; // a = tail argument

function sameEnt(x: Ent, y: Ent): boolean {
  return x.s === y.s && x.e === y.e && x.t === y.t;
}

function shareToken(x: Ent, y: Ent): boolean {
  for (let k = x.s; k < x.e; k++) if (k >= y.s && k < y.e) return true;
  return false;
}

function naiveOverlaps(x: Ent, y: Ent): boolean {
  return !sameEnt(x, y) && shareToken(x, y);
}

function contains<T>(list: T[], item: T, eq: (a: T, b: T) => boolean): boolean {
  for (const x of list) if (eq(x, item)) return true;
  return false;
}

function unique<T>(list: T[], eq: (a: T, b: T) => boolean): T[] {
  const out: T[] = [];
  for (const x of list) if (!contains(out, x, eq)) out.push(x);
  return out;
}

function naiveDoc(d: Document, noOverlap: boolean): { ents: Ent[]; rels: Rel[]; len: number } {
  const all: Ent[] = d.entities.map((x) => ({ s: x.start, e: x.end, t: x.type }));
  let ents = all;
  let rels: Rel[] = d.relations.map((r) => ({ t: r.type, h: all[r.head]!, a: all[r.tail]! }));
  if (noOverlap) {
    ents = [];
    for (const x of all) {
      let bad = false;
      for (const y of all) if (naiveOverlaps(x, y)) bad = true;
      if (!bad) ents.push(x);
    }
    rels = rels.filter((r) => !naiveOverlaps(r.h, r.a));
  }
  return { ents, rels, len: d.tokens.length };
}

function relEq(symmetric: (t: string) => boolean, withTypes: boolean): (x: Rel, y: Rel) => boolean {
  const argEq = (p: Ent, q: Ent): boolean => p.s === q.s && p.e === q.e && (!withTypes || p.t === q.t);
  return (x, y) =>
    x.t === y.t && ((argEq(x.h, y.h) && argEq(x.a, y.a)) || (symmetric(x.t) && argEq(x.h, y.a) && argEq(x.a, y.h)));
}

/** Counted items: [label, 'tp' | 'fp' | 'fn'] for every distinct tuple of every document. */
function naiveOutcomes<T>(
  gold: T[],
  pred: T[],
  eq: (a: T, b: T) => boolean,
  label: (t: T) => string,
  out: Array<[string, 'tp' | 'fp' | 'fn']>,
): void {
  const g = unique(gold, eq);
  const p = unique(pred, eq);
  for (const x of p) out.push([label(x), contains(g, x, eq) ? 'tp' : 'fp']);
  for (const x of g) if (!contains(p, x, eq)) out.push([label(x), 'fn']);
}

function prf(tp: number, fp: number, fn: number): { precision: number; recall: number; f1: number } {
  const precision = tp + fp > 0 ? (tp / (tp + fp)) * 100 : 0;
  const recall = tp + fn > 0 ? (tp / (tp + fn)) * 100 : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

function count(outcomes: Array<[string, string]>, label: string, kind: string): number {
  let c = 0;
  for (const [l, k] of outcomes) if (l === label && k === kind) c++;
  return c;
}

function naiveScores(outcomes: Array<[string, 'tp' | 'fp' | 'fn']>, types: string[]) {
  const perType: Record<string, { precision: number; recall: number; f1: number; support: number }> = {};
  let tp = 0, fp = 0, fn = 0;
  const ps: number[] = [], rs: number[] = [], fs: number[] = [];
  for (const t of types) {
    const a = count(outcomes, t, 'tp'), b = count(outcomes, t, 'fp'), c = count(outcomes, t, 'fn');
    if (a + b + c === 0) continue;
    const s = prf(a, b, c);
    perType[t] = { ...s, support: a + c };
    ps.push(s.precision); rs.push(s.recall); fs.push(s.f1);
    tp += a; fp += b; fn += c;
  }
  const avg = (xs: number[]): number => (xs.length ? xs.reduce((x, y) => x + y, 0) / xs.length : 0);
  return { micro: prf(tp, fp, fn), macro: { precision: avg(ps), recall: avg(rs), f1: avg(fs) }, perType };
}

function naiveBucketScores(outcomes: Array<[string, 'tp' | 'fp' | 'fn']>, labels: string[]) {
  const out: Record<string, { precision: number; recall: number; f1: number; support: number }> = {};
  for (const l of labels) {
    const a = count(outcomes, l, 'tp'), b = count(outcomes, l, 'fp'), c = count(outcomes, l, 'fn');
    out[l] = { ...prf(a, b, c), support: a + c };
  }
  return out;
}

function lengthBucket(len: number): string {
  if (len <= 2) return '1-2';
  if (len <= 4) return '3-4';
  if (len <= 6) return '5-6';
  if (len <= 8) return '7-8';
  if (len <= 10) return '9-10';
  return '>=11';
}

function sentenceBucket(len: number): string {
  if (len < 20) return '0-19';
  if (len < 35) return '20-34';
  if (len < 50) return '35-49';
  return '>=50';
}

function distanceBucket(r: Rel, sentenceLength: number): string {
  let between = 0;
  for (let k = 0; k < sentenceLength; k++) {
    if ((k >= r.h.e && k < r.a.s) || (k >= r.a.e && k < r.h.s)) between++;
  }
  if (between === 0) return '0';
  if (between <= 3) return '1-3';
  if (between <= 6) return '4-6';
  if (between <= 9) return '7-9';
  return '>=10';
}

function naiveEvaluate(gold: Document[], pred: Document[], schema: TypeSchema, noOverlap: boolean) {
  const symmetric = (t: string): boolean => schema.relations.some((r) => r.name === t && r.symmetric);
  const outcomes = {
    ner: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    re: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    rePlus: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    nerLen: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    nerSent: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    reSent: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    reDist: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
    rePlusDist: [] as Array<[string, 'tp' | 'fp' | 'fn']>,
  };
  for (let i = 0; i < gold.length; i++) {
    const g = naiveDoc(gold[i]!, noOverlap);
    const p = naiveDoc(pred[i]!, noOverlap);
    const sent = sentenceBucket(g.len);
    const reEq = relEq(symmetric, false);
    const rePlusEq = relEq(symmetric, true);
    naiveOutcomes(g.ents, p.ents, sameEnt, (x) => x.t, outcomes.ner);
    naiveOutcomes(g.rels, p.rels, reEq, (x) => x.t, outcomes.re);
    naiveOutcomes(g.rels, p.rels, rePlusEq, (x) => x.t, outcomes.rePlus);
    naiveOutcomes(g.ents, p.ents, sameEnt, (x) => lengthBucket(x.e - x.s), outcomes.nerLen);
    naiveOutcomes(g.ents, p.ents, sameEnt, () => sent, outcomes.nerSent);
    naiveOutcomes(g.rels, p.rels, reEq, () => sent, outcomes.reSent);
    naiveOutcomes(g.rels, p.rels, reEq, (x) => distanceBucket(x, g.len), outcomes.reDist);
    naiveOutcomes(g.rels, p.rels, rePlusEq, (x) => distanceBucket(x, g.len), outcomes.rePlusDist);
  }
  const eTypes = schema.entities.map((t) => t.name);
  const rTypes = schema.relations.map((t) => t.name);
  return {
    ner: naiveScores(outcomes.ner, eTypes),
    re: naiveScores(outcomes.re, rTypes),
    rePlus: naiveScores(outcomes.rePlus, rTypes),
    nerLen: naiveBucketScores(outcomes.nerLen, ['1-2', '3-4', '5-6', '7-8', '9-10', '>=11']),
    nerSent: naiveBucketScores(outcomes.nerSent, ['0-19', '20-34', '35-49', '>=50']),
    reSent: naiveBucketScores(outcomes.reSent, ['0-19', '20-34', '35-49', '>=50']),
    reDist: naiveBucketScores(outcomes.reDist, ['0', '1-3', '4-6', '7-9', '>=10']),
    rePlusDist: naiveBucketScores(outcomes.rePlusDist, ['0', '1-3', '4-6', '7-9', '>=10']),
  };
}

// ---------------------------------------------------------------- comparison

function expectScoresClose(actual: { precision: number; recall: number; f1: number }, expected: typeof actual, where: string): void {
  for (const k of ['precision', 'recall', 'f1'] as const) {
    expect(Math.abs(actual[k] - expected[k]), `${where}.${k}: ${actual[k]} vs ${expected[k]}`).toBeLessThan(1e-9);
  }
}

function expectTaskClose(actual: TaskScores, expected: ReturnType<typeof naiveScores>, where: string): void {
  expectScoresClose(actual.micro, expected.micro, `${where}.micro`);
  expectScoresClose(actual.macro, expected.macro, `${where}.macro`);
  expect(Object.keys(actual.perType), `${where}.perType keys`).toEqual(Object.keys(expected.perType));
  for (const [t, s] of Object.entries(expected.perType)) {
    expectScoresClose(actual.perType[t]!, s, `${where}.perType.${t}`);
    expect(actual.perType[t]!.support, `${where}.perType.${t}.support`).toBe(s.support);
  }
}

function expectBreakdownClose(actual: Breakdown, expected: ReturnType<typeof naiveBucketScores>, where: string): void {
  expect(actual.map((b) => b.bucket), `${where} labels`).toEqual(Object.keys(expected));
  for (const [i, [l, s]] of Object.entries(expected).entries()) {
    expectScoresClose(actual[i]!, s, `${where}.${l}`);
    expect(actual[i]!.support, `${where}.${l}.support`).toBe(s.support);
  }
}

describe('evaluate vs a naive nested-loop implementation on random perturbations', () => {
  for (const noOverlap of [false, true]) {
    it(`agrees on every figure (removeOverlapping: ${noOverlap})`, () => {
      const rand = rng(noOverlap ? 7 : 3);
      let nonTrivial = 0;
      for (let trial = 0; trial < 150; trial++) {
        const schema = randomSchema(rand);
        const nDocs = 1 + Math.floor(rand() * 8);
        const gold = Array.from({ length: nDocs }, (_, i) => randomGold(rand, schema, i));
        const pred = gold.map((g) => perturb(rand, g, schema));
        const options = { removeOverlapping: noOverlap };
        const actual = evaluate(gold, pred, schema, options);
        const b = evaluateBreakdowns(gold, pred, schema, options);
        const expected = naiveEvaluate(gold, pred, schema, noOverlap);
        const where = `trial ${trial}`;
        expectTaskClose(actual.ner, expected.ner, `${where} ner`);
        expectTaskClose(actual.re, expected.re, `${where} re`);
        expectTaskClose(actual.rePlus, expected.rePlus, `${where} rePlus`);
        expectBreakdownClose(b.ner.entityLength, expected.nerLen, `${where} ner.entityLength`);
        expectBreakdownClose(b.ner.sentenceLength, expected.nerSent, `${where} ner.sentenceLength`);
        expectBreakdownClose(b.re.sentenceLength, expected.reSent, `${where} re.sentenceLength`);
        expectBreakdownClose(b.re.argumentDistance, expected.reDist, `${where} re.argumentDistance`);
        expectBreakdownClose(b.rePlus.argumentDistance, expected.rePlusDist, `${where} rePlus.argumentDistance`);
        if (actual.rePlus.micro.f1 > 0 && actual.rePlus.micro.f1 < 100) nonTrivial++;
      }
      // the generator must exercise partial matches, not only all-right / all-wrong corpora
      expect(nonTrivial).toBeGreaterThan(50);
    });
  }
});
