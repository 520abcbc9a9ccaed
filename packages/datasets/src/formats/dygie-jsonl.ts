/**
 * DyGIE++ JSONL: one document per line,
 * `{doc_key, sentences: [[tok, ...], ...], ner: [[[start, end, type], ...] per sentence],
 *   relations: [[[s1, e1, s2, e2, type], ...] per sentence]}`
 * with DOCUMENT-level token offsets and INCLUSIVE ends. Reading splits a document into one
 * `Document` per sentence with sentence-level `[start, end)` spans (`docKey` = `doc_key`,
 * `sentenceIndex` = position, id = `"<doc_key>:<sentenceIndex>"`); relation arguments are
 * matched to the sentence's entities by span. Writing converts back; other document keys
 * (`clusters`, `dataset`, ...) and the key order are kept on the first sentence's
 * `extra.dygie`, so a file reads and writes back unchanged.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DatasetError, describeType, reportWarnings, throwIfAny, type DatasetWarning } from '../errors.js';
import { parseJsonText, toPythonJson } from '../json-text.js';
import { isPlainObject } from '../type-schema.js';
import type { Document, Entity, Relation } from '../types.js';
import { mergeDocumentDuplicates, type DocumentFieldNames } from '../validate.js';
import type { ReadOptions } from './read-options.js';

const MODEL_KEYS = ['doc_key', 'sentences', 'ner', 'relations'] as const;

/** What `extra.dygie` holds on the first sentence of a document. */
export interface DygieExtra {
  /** The document's keys other than doc_key, sentences, ner and relations. */
  fields: Record<string, unknown>;
  /** The original order of all keys, model keys included. */
  keyOrder: string[];
}

/**
 * Parses DyGIE++ JSONL text into sentence-level documents (see the module comment).
 * Errors name the file, the line, the document (its index among the file's documents and
 * its `doc_key`) and the field in DyGIE++ terms, e.g. `ner[1][0][1]`.
 */
export function parseDygieJsonl(text: string, source = '<dygie-jsonl>', options: ReadOptions = {}): Document[] {
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  const docs: Document[] = [];
  const lines = text.split('\n');
  let docIndex = 0;
  lines.forEach((rawLine, lineIndex) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.trim() === '') return;
    const lineNo = lineIndex + 1;
    try {
      const value = parseJsonText(line, source, lineNo);
      const built = dygieDocumentToSentences(value, docIndex, lineNo, source, options);
      errors.push(...built.errors);
      warnings.push(...built.warnings);
      docs.push(...built.sentences);
    } catch (err) {
      if (!(err instanceof DatasetError)) throw err;
      errors.push(err);
    }
    docIndex++;
  });
  throwIfAny(errors);
  reportWarnings(warnings, options.onWarnings);
  return docs;
}

/** Reads a DyGIE++ JSONL file (see `parseDygieJsonl`). */
export function readDygieJsonl(path: string, options: ReadOptions = {}): Document[] {
  return parseDygieJsonl(readFileSync(path, 'utf8'), path, options);
}

/**
 * DyGIE++ JSONL text of sentence-level documents: consecutive documents with the same
 * `docKey` become one line (a document without `docKey` is a one-sentence document whose
 * `doc_key` is its id). Each line is in Python `json.dumps` layout and ends with `\n`.
 */
export function formatDygieJsonl(docs: readonly Document[], options: { ensureAscii?: boolean } = {}): string {
  const out: string[] = [];
  for (const group of consecutiveGroups(docs)) {
    const docKey = group[0].docKey ?? group[0].id;
    const sentences: string[][] = [];
    const ner: unknown[][] = [];
    const relations: unknown[][] = [];
    let offset = 0;
    for (const doc of group) {
      sentences.push(doc.tokens);
      ner.push(doc.entities.map((e) => [e.start + offset, e.end - 1 + offset, e.type]));
      relations.push(
        doc.relations.map((r, k) => {
          const h = doc.entities[r.head];
          const t = doc.entities[r.tail];
          if (!h || !t) {
            const field = !h ? `relations[${k}].head` : `relations[${k}].tail`;
            throw new DatasetError({ docId: doc.id, field }, `${field} = ${!h ? r.head : r.tail} is out of range (the document has ${doc.entities.length} entities)`);
          }
          return [h.start + offset, h.end - 1 + offset, t.start + offset, t.end - 1 + offset, r.type];
        }),
      );
      offset += doc.tokens.length;
    }
    const model: Record<string, unknown> = { doc_key: docKey, sentences, ner, relations };
    const extra = group[0].extra?.dygie as DygieExtra | undefined;
    const fields = extra?.fields ?? {};
    const order = [...(extra?.keyOrder ?? [...MODEL_KEYS, ...Object.keys(fields)])];
    for (const k of [...MODEL_KEYS, ...Object.keys(fields)]) if (!order.includes(k)) order.push(k);
    const line: Record<string, unknown> = {};
    for (const k of order) {
      if (k in model) line[k] = model[k];
      else if (k in fields) line[k] = fields[k];
    }
    out.push(toPythonJson(line, options.ensureAscii ?? true) + '\n');
  }
  return out.join('');
}

/** Writes a DyGIE++ JSONL file (see `formatDygieJsonl`). */
export function writeDygieJsonl(path: string, docs: readonly Document[], options: { ensureAscii?: boolean } = {}): void {
  writeFileSync(path, formatDygieJsonl(docs, options), 'utf8');
}

/** Runs of consecutive documents sharing a `docKey` (a document without one is alone). */
function consecutiveGroups(docs: readonly Document[]): Document[][] {
  const groups: Document[][] = [];
  for (const doc of docs) {
    const last = groups[groups.length - 1];
    if (last && doc.docKey !== undefined && last[0].docKey === doc.docKey) last.push(doc);
    else groups.push([doc]);
  }
  return groups;
}

function dygieDocumentToSentences(
  value: unknown,
  docIndex: number,
  line: number,
  file: string,
  options: ReadOptions,
): { sentences: Document[]; errors: DatasetError[]; warnings: DatasetWarning[] } {
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  const none = { sentences: [], errors, warnings };
  if (!isPlainObject(value)) {
    errors.push(new DatasetError({ file, line, docIndex }, `a document must be an object {doc_key, sentences, ner, relations} (got ${describeType(value)})`));
    return none;
  }
  const docId = typeof value.doc_key === 'string' || typeof value.doc_key === 'number' ? String(value.doc_key) : undefined;
  const at = { file, line, docIndex, docId };
  const fail = (field: string, problem: string) => errors.push(new DatasetError({ ...at, field }, problem));

  if (value.doc_key === undefined) fail('doc_key', 'doc_key is missing');
  else if (docId === undefined) fail('doc_key', `doc_key must be a string (got ${describeType(value.doc_key)})`);

  // sentences: string[][]; ner and relations: one list per sentence.
  const perSentence = (key: 'sentences' | 'ner' | 'relations'): unknown[][] | undefined => {
    const v = value[key];
    if (v === undefined) return void fail(key, `${key} is missing`);
    if (!Array.isArray(v)) return void fail(key, `${key} must be an array with one list per sentence (got ${describeType(v)})`);
    let ok = true;
    v.forEach((item, s) => {
      if (!Array.isArray(item)) {
        fail(`${key}[${s}]`, `${key}[${s}] must be an array (got ${describeType(item)})`);
        ok = false;
      }
    });
    return ok ? (v as unknown[][]) : undefined;
  };
  const sentences = perSentence('sentences');
  const ner = perSentence('ner');
  const rels = perSentence('relations');
  if (!sentences || !ner || !rels || docId === undefined) return none;
  for (const [key, list] of [['ner', ner], ['relations', rels]] as const) {
    if (list.length !== sentences.length) {
      fail(key, `${key} has ${list.length} sentence lists but sentences has ${sentences.length}`);
    }
  }
  sentences.forEach((toks, s) =>
    toks.forEach((t, i) => {
      if (typeof t !== 'string') fail(`sentences[${s}][${i}]`, `sentences[${s}][${i}] must be a string (got ${describeType(t)})`);
    }),
  );
  if (sentences.length === 0) fail('sentences', 'sentences is empty (a document needs at least one sentence)');
  if (errors.length > 0) return none;

  const out: Document[] = [];
  let offset = 0;
  sentences.forEach((tokens, s) => {
    const n = tokens.length;
    const range = `sentence ${s} covers document tokens ${offset}..${offset + n - 1}`;
    const inSentence = (v: number) => v >= offset && v < offset + n;
    const entities: Entity[] = [];
    const entityFieldOf: number[] = []; // entity index -> index in ner[s]
    let sentenceOk = true;
    ner[s].forEach((item, j) => {
      const path = `ner[${s}][${j}]`;
      if (!Array.isArray(item) || item.length !== 3 || !Number.isInteger(item[0]) || !Number.isInteger(item[1]) || typeof item[2] !== 'string') {
        fail(path, `${path} must be [start, end (inclusive), type] with integer offsets (got ${JSON.stringify(item)})`);
        sentenceOk = false;
        return;
      }
      const [start, endIncl, type] = item as [number, number, string];
      let ok = true;
      if (!inSentence(start)) {
        fail(`${path}[0]`, `${path}[0] = ${start} is out of range (${range})`);
        ok = false;
      }
      if (!inSentence(endIncl)) {
        fail(`${path}[1]`, `${path}[1] = ${endIncl} is out of range (${range})`);
        ok = false;
      }
      if (ok && start > endIncl) {
        fail(path, `${path} has start ${start} > inclusive end ${endIncl}`);
        ok = false;
      }
      if (!ok) {
        sentenceOk = false;
        return;
      }
      entityFieldOf.push(j);
      entities.push({ type, start: start - offset, end: endIncl + 1 - offset });
    });
    const relations: Relation[] = [];
    const relationFieldOf: number[] = [];
    if (sentenceOk) {
      (rels[s] ?? []).forEach((item, k) => {
        const path = `relations[${s}][${k}]`;
        if (!Array.isArray(item) || item.length !== 5 || !item.slice(0, 4).every((v) => Number.isInteger(v)) || typeof item[4] !== 'string') {
          fail(path, `${path} must be [start1, end1, start2, end2, type] with integer offsets, ends inclusive (got ${JSON.stringify(item)})`);
          return;
        }
        const [s1, e1, s2, e2, type] = item as [number, number, number, number, string];
        const find = (a: number, b: number) => entities.findIndex((e) => e.start === a - offset && e.end === b + 1 - offset);
        const head = find(s1, e1);
        const tail = find(s2, e2);
        if (head < 0) fail(path, `${path}: head span [${s1}, ${e1}] is not an entity of ner[${s}]`);
        if (tail < 0) fail(path, `${path}: tail span [${s2}, ${e2}] is not an entity of ner[${s}]`);
        if (head < 0 || tail < 0) return;
        relationFieldOf.push(k);
        relations.push({ type, head, tail });
      });
    }
    const doc: Document = { id: `${docId}:${s}`, tokens: tokens as string[], entities, relations, docKey: docId, sentenceIndex: s };
    const names: DocumentFieldNames = {
      tokens: `sentences[${s}]`,
      entity: (i, prop) => `ner[${s}][${entityFieldOf[i]}]` + (prop ? `[${{ start: 0, end: 1, type: 2 }[prop]}]` : ''),
      relation: (k, prop) => `relations[${s}][${relationFieldOf[k]}]` + (prop ? `[${{ head: 0, tail: 2, type: 4 }[prop]}]` : ''),
    };
    const merged = mergeDocumentDuplicates(doc, docIndex, { ...options, file }, names, { docId, line });
    errors.push(...merged.errors);
    warnings.push(...merged.warnings);
    out.push(merged.doc);
    offset += n;
  });

  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!(MODEL_KEYS as readonly string[]).includes(k)) fields[k] = v;
  const dygie: DygieExtra = { fields, keyOrder: Object.keys(value) };
  if (out.length > 0) out[0].extra = { dygie: { ...dygie } };
  return { sentences: errors.length > 0 ? [] : out, errors, warnings };
}
