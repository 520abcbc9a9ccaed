/**
 * SpERT JSON: one JSON array of `{tokens, entities: [{type, start, end}], relations:
 * [{type, head, tail}], orig_id}`; `end` exclusive, `head`/`tail` index `entities`. This is
 * the document model's own layout, so reading only checks it and writing reproduces it
 * byte for byte (Python `json.dumps` layout, other keys such as `orig_id` kept in place).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DatasetError, describeType, reportWarnings, throwIfAny, type DatasetWarning } from '../errors.js';
import { parseJsonText, toPythonJson } from '../json-text.js';
import { isPlainObject } from '../type-schema.js';
import type { Document, Entity, Relation } from '../types.js';
import { mergeDocumentDuplicates } from '../validate.js';
import type { ReadOptions } from './read-options.js';

const MODEL_KEYS = new Set(['tokens', 'entities', 'relations']);

/**
 * Parses SpERT JSON text. `source` names the input in errors. Every problem of every
 * document is collected; if there is any, the first is thrown as a `DatasetError` whose
 * `errors` holds them all. Duplicate entities and relations are merged with warnings
 * (`options.onWarnings`), or are errors with `options.strict`. A document's id is its `orig_id` (as a string), else its index.
 */
export function parseSpertJson(text: string, source = '<spert-json>', options: ReadOptions = {}): Document[] {
  const raw = parseJsonText(text, source);
  if (!Array.isArray(raw)) {
    throw new DatasetError({ file: source }, `SpERT JSON must be an array of documents (got ${describeType(raw)})`);
  }
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  const docs: Document[] = [];
  raw.forEach((entry, docIndex) => {
    const built = spertEntryToDocument(entry, docIndex, source);
    if (built.errors.length > 0) {
      errors.push(...built.errors);
      return;
    }
    const merged = mergeDocumentDuplicates(built.doc!, docIndex, { ...options, file: source });
    errors.push(...merged.errors);
    warnings.push(...merged.warnings);
    docs.push(merged.doc);
  });
  throwIfAny(errors);
  reportWarnings(warnings, options.onWarnings);
  return docs;
}

/** Reads a SpERT JSON file (see `parseSpertJson`). */
export function readSpertJson(path: string, options: ReadOptions = {}): Document[] {
  return parseSpertJson(readFileSync(path, 'utf8'), path, options);
}

export interface SpertWriteOptions {
  /**
   * Where `orig_id` comes from: `'extra'` (default) writes it only when the document was
   * read from SpERT JSON with one; `'id'` also writes the document id for the others.
   */
  origId?: 'extra' | 'id';
  /** Escape non-ASCII characters as Python does (default true). */
  ensureAscii?: boolean;
}

/** SpERT JSON text of documents, in Python `json.dumps` layout (what SpERT's files use). */
export function formatSpertJson(docs: readonly Document[], options: SpertWriteOptions = {}): string {
  const entries = docs.map((doc) => {
    const entry: Record<string, unknown> = {
      tokens: doc.tokens,
      entities: doc.entities.map((e) => ({ type: e.type, start: e.start, end: e.end })),
      relations: doc.relations.map((r) => ({ type: r.type, head: r.head, tail: r.tail })),
    };
    const extra = doc.extra?.spert;
    if (extra) for (const [k, v] of Object.entries(extra)) if (!MODEL_KEYS.has(k)) entry[k] = v;
    if (options.origId === 'id' && !('orig_id' in entry)) entry.orig_id = doc.id;
    return entry;
  });
  return toPythonJson(entries, options.ensureAscii ?? true);
}

/** Writes a SpERT JSON file (see `formatSpertJson`). */
export function writeSpertJson(path: string, docs: readonly Document[], options: SpertWriteOptions = {}): void {
  writeFileSync(path, formatSpertJson(docs, options), 'utf8');
}

/** Checks the shape of one raw SpERT entry and builds the document (fields are checked for presence and type here; values by `validateDocument`). */
function spertEntryToDocument(entry: unknown, docIndex: number, file: string): { doc?: Document; errors: DatasetError[] } {
  const errors: DatasetError[] = [];
  if (!isPlainObject(entry)) {
    errors.push(new DatasetError({ file, docIndex }, `a document must be an object {tokens, entities, relations} (got ${describeType(entry)})`));
    return { errors };
  }
  const origId = entry.orig_id;
  const docId = origId === undefined || origId === null ? String(docIndex) : String(origId);
  const fail = (field: string, problem: string) => errors.push(new DatasetError({ file, docIndex, docId, field }, problem));

  const list = (field: 'tokens' | 'entities' | 'relations'): unknown[] | undefined => {
    const v = entry[field];
    if (v === undefined) fail(field, `${field} is missing`);
    else if (!Array.isArray(v)) fail(field, `${field} must be an array (got ${describeType(v)})`);
    else return v;
    return undefined;
  };
  const tokensRaw = list('tokens');
  const entitiesRaw = list('entities');
  const relationsRaw = list('relations');

  const tokens: string[] = [];
  tokensRaw?.forEach((t, i) => {
    if (typeof t !== 'string') fail(`tokens[${i}]`, `tokens[${i}] must be a string (got ${describeType(t)})`);
    else tokens.push(t);
  });
  const entities: Entity[] = [];
  entitiesRaw?.forEach((e, i) => {
    const obj = objectWith(e, `entities[${i}]`, { type: 'string', start: 'integer', end: 'integer' }, fail);
    if (obj) entities.push({ type: obj.type as string, start: obj.start as number, end: obj.end as number });
  });
  const relations: Relation[] = [];
  relationsRaw?.forEach((r, i) => {
    const obj = objectWith(r, `relations[${i}]`, { type: 'string', head: 'integer', tail: 'integer' }, fail);
    if (obj) relations.push({ type: obj.type as string, head: obj.head as number, tail: obj.tail as number });
  });
  if (errors.length > 0) return { errors };

  const doc: Document = { id: docId, tokens, entities, relations };
  const extra: Record<string, unknown> = {};
  let hasExtra = false;
  for (const [k, v] of Object.entries(entry)) {
    if (MODEL_KEYS.has(k)) continue;
    extra[k] = v;
    hasExtra = true;
  }
  if (hasExtra) doc.extra = { spert: extra };
  return { doc, errors };
}

/** Checks that `value` is an object whose `fields` are present with the given kinds; reports each problem through `fail`. */
export function objectWith(
  value: unknown,
  path: string,
  fields: Record<string, 'string' | 'integer'>,
  fail: (field: string, problem: string) => void,
): Record<string, unknown> | undefined {
  if (!isPlainObject(value)) {
    fail(path, `${path} must be an object {${Object.keys(fields).join(', ')}} (got ${describeType(value)})`);
    return undefined;
  }
  let ok = true;
  for (const [key, kind] of Object.entries(fields)) {
    const v = value[key];
    const field = `${path}.${key}`;
    if (v === undefined) {
      fail(field, `${field} is missing`);
      ok = false;
    } else if (kind === 'string' ? typeof v !== 'string' : !Number.isInteger(v)) {
      fail(field, `${field} must be ${kind === 'string' ? 'a string' : 'an integer'} (got ${JSON.stringify(v)})`);
      ok = false;
    }
  }
  return ok ? value : undefined;
}
