/**
 * BIO tags <-> entities, plain and extended.
 *
 * Plain BIO (IOB2 when written): `B-X` begins an entity of type X, `I-X` continues it, `O`
 * is outside. Decoding also reads IOB1 (where `I-X` may begin an entity and `B-X` only
 * separates two adjacent X entities): an `I-X` that does not continue an X entity begins one.
 *
 * Extended BIO (STSN, section 4.1) encodes two-fold overlapping entities: the *preceding*
 * entity (earlier start; on a tie, the longer one) is tagged first, and the overlapping
 * entity's label is appended after a `/`, e.g. `[[Codeine]Drug intoxication]AE` ->
 * `B-AE/B-DRUG I-AE`. We make the rule exact as *layers*: entities, in preceding-first
 * order, each take the lowest layer that is free over their whole span; a token's tag is
 * its layers' labels joined by `/`, trailing empty layers dropped and an empty layer before
 * a used one written `O` (a crossing pair [0,2) A, [1,3) B gives `B-A`, `I-A/B-B`, `O/I-B`).
 * Each layer is then a plain BIO sequence, so decoding is exact for any entities whose
 * overlap depth is within the layer limit.
 */
import { DatasetError } from './errors.js';
import type { Entity } from './types.js';

/** One parsed label: `O`, or `B`/`I` with a type. */
export type BioLabel = { prefix: 'O' } | { prefix: 'B' | 'I'; type: string };

/** Parses `O`, `B-X`, `I-X`; undefined for anything else. */
export function parseBioLabel(label: string): BioLabel | undefined {
  if (label === 'O') return { prefix: 'O' };
  const m = /^([BI])-(.+)$/s.exec(label);
  return m ? { prefix: m[1] as 'B' | 'I', type: m[2] } : undefined;
}

/** A bad tag found while decoding: its position and what is wrong. */
export interface BioTagProblem {
  index: number;
  problem: string;
}

/**
 * IOB2 tags of a sentence. Throws a `DatasetError` (field `entities[i]`) when two entities
 * overlap, since plain BIO cannot encode that (see `entitiesToExtendedBioTags`).
 */
export function entitiesToBioTags(nTokens: number, entities: readonly Entity[]): string[] {
  return entitiesToExtendedBioTags(nTokens, entities, { maxDepth: 1 });
}

/** Entities of a plain BIO sequence (IOB1 or IOB2), ordered by start then end. Throws a `DatasetError` (field `tags[i]`) on a malformed tag. */
export function bioTagsToEntities(tags: readonly string[]): Entity[] {
  const { entities, problems } = decodeBioTags(tags, false);
  if (problems.length > 0) throw bioProblemError(problems);
  return entities;
}

/**
 * Extended BIO tags of a sentence (see the module comment). `maxDepth` (default 2, the
 * STSN "two-fold" case) is the most entities allowed to share a token; deeper overlap
 * throws a `DatasetError`. Entity types must not contain `/`.
 */
export function entitiesToExtendedBioTags(nTokens: number, entities: readonly Entity[], options: { maxDepth?: number } = {}): string[] {
  const maxDepth = options.maxDepth ?? 2;
  const labels: string[][] = Array.from({ length: nTokens }, () => []);
  const order = entities
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.start - b.e.start || b.e.end - a.e.end || cmp(a.e.type, b.e.type) || a.i - b.i);
  const layerEnd: number[] = []; // end of the last entity placed in each layer
  const layerOwner: number[] = []; // its index in `entities`
  for (const { e, i } of order) {
    if (!(Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= 0 && e.end <= nTokens && e.start < e.end)) {
      throw new DatasetError({ field: `entities[${i}]` }, `entities[${i}] = [${e.start}, ${e.end}) is not a span of a sentence of ${nTokens} tokens`);
    }
    if (maxDepth > 1 && e.type.includes('/')) {
      throw new DatasetError({ field: `entities[${i}].type` }, `entities[${i}].type = "${e.type}" contains "/", which extended BIO uses as its separator`);
    }
    let layer = layerEnd.findIndex((end) => end <= e.start);
    if (layer < 0) layer = layerEnd.length;
    if (layer >= maxDepth) {
      const other = layerOwner[layerOwner.length - 1];
      const what = maxDepth === 1 ? 'plain BIO cannot encode overlapping entities (use extended BIO)' : `more than ${maxDepth} entities share a token`;
      throw new DatasetError({ field: `entities[${i}]` }, `entities[${i}] [${e.start}, ${e.end}) overlaps entities[${other}] [${entities[other].start}, ${entities[other].end}): ${what}`);
    }
    layerEnd[layer] = e.end;
    layerOwner[layer] = i;
    for (let t = e.start; t < e.end; t++) {
      const row = labels[t];
      while (row.length < layer) row.push('O');
      row[layer] = `${t === e.start ? 'B' : 'I'}-${e.type}`;
    }
  }
  return labels.map((row) => (row.length === 0 ? 'O' : row.join('/')));
}

/** Entities of an extended BIO sequence (plain BIO is the one-layer case), ordered by start then end. Throws a `DatasetError` (field `tags[i]`) on a malformed tag. */
export function extendedBioTagsToEntities(tags: readonly string[]): Entity[] {
  const { entities, problems } = decodeBioTags(tags, true);
  if (problems.length > 0) throw bioProblemError(problems);
  return entities;
}

/**
 * Decodes tags, collecting malformed ones instead of throwing (readers turn them into
 * located errors). With `extended`, a tag is split on `/` into layers when every part is
 * a label (so a type like `GPE/ORG` in `B-GPE/ORG` stays whole).
 */
export function decodeBioTags(tags: readonly string[], extended: boolean): { entities: Entity[]; problems: BioTagProblem[] } {
  const entities: Entity[] = [];
  const problems: BioTagProblem[] = [];
  // Per layer: the entity being read (type and start), or undefined.
  const open: ({ type: string; start: number } | undefined)[] = [];
  const close = (layer: number, end: number) => {
    const o = open[layer];
    if (o) entities.push({ type: o.type, start: o.start, end });
    open[layer] = undefined;
  };
  tags.forEach((tag, i) => {
    let labels = [tag];
    if (extended && tag.includes('/')) {
      const parts = tag.split('/');
      if (parts.every((p) => parseBioLabel(p) !== undefined)) labels = parts;
    }
    const parsed = labels.map(parseBioLabel);
    if (parsed.some((p) => p === undefined)) {
      problems.push({ index: i, problem: `tags[${i}] = "${tag}" is not a BIO tag (expected O, B-<type> or I-<type>${extended ? ', layers joined by /' : ''})` });
      for (let layer = 0; layer < open.length; layer++) close(layer, i);
      return;
    }
    const layers = Math.max(open.length, parsed.length);
    for (let layer = 0; layer < layers; layer++) {
      const label = parsed[layer] ?? { prefix: 'O' as const };
      const current = open[layer];
      if (label.prefix === 'O') close(layer, i);
      else if (label.prefix === 'I' && current && current.type === label.type) continue;
      else {
        close(layer, i);
        open[layer] = { type: label.type, start: i };
      }
    }
  });
  for (let layer = 0; layer < open.length; layer++) close(layer, tags.length);
  entities.sort((a, b) => a.start - b.start || a.end - b.end || cmp(a.type, b.type));
  return { entities, problems };
}

function bioProblemError(problems: BioTagProblem[]): DatasetError {
  return DatasetError.fromList(problems.map((p) => new DatasetError({ field: `tags[${p.index}]` }, p.problem)));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
