/**
 * Checks of the document model itself (after a reader built it, or on documents made in
 * memory): spans in range and non-empty, known types, relation arguments in range, no
 * self-relations, no duplicates, no empty or over-long token lists.
 */
import { DatasetError, describeType } from './errors.js';
import type { Document, TypeSchema } from './types.js';

export interface ValidationOptions {
  /** When given, entity and relation types must be declared in it, and its symmetric relation types are order-free when looking for duplicates. */
  schema?: TypeSchema;
  /** When given, a document with more tokens is an error ("over-long sentence"). */
  maxTokens?: number;
  /** File name used in the errors. */
  file?: string;
  /**
   * Accept duplicate entities / relations and self-relations (they are errors for
   * training data). Used for predictions to be scored: the scorer treats tuples as
   * sets, so they are harmless there. Structure, spans and indices are still checked.
   */
  lenient?: boolean;
}

/**
 * How the fields of a document are named in errors. The default names the document model's
 * (= SpERT JSON's) fields, `entities[3].end`; readers of other formats name their own fields.
 */
export interface DocumentFieldNames {
  tokens: string;
  entity(index: number, prop?: 'type' | 'start' | 'end'): string;
  relation(index: number, prop?: 'type' | 'head' | 'tail'): string;
}

export const MODEL_FIELD_NAMES: DocumentFieldNames = {
  tokens: 'tokens',
  entity: (i, prop) => (prop ? `entities[${i}].${prop}` : `entities[${i}]`),
  relation: (i, prop) => (prop ? `relations[${i}].${prop}` : `relations[${i}]`),
};

/** Every problem of every document (empty list = valid). Nothing is skipped or repaired. */
export function validateDocuments(docs: readonly Document[], options: ValidationOptions = {}): DatasetError[] {
  const errors: DatasetError[] = [];
  docs.forEach((doc, i) => errors.push(...validateDocument(doc, i, options)));
  return errors;
}

/** Throws the first problem of `validateDocuments` (carrying all of them), if any. */
export function assertValidDocuments(docs: readonly Document[], options: ValidationOptions = {}): void {
  const errors = validateDocuments(docs, options);
  if (errors.length > 0) throw DatasetError.fromList(errors);
}

/**
 * Every problem of one document. `docIndex` is its position in the file; `names` says how
 * to name fields in the errors (see `DocumentFieldNames`).
 */
export function validateDocument(
  doc: Document,
  docIndex: number,
  options: ValidationOptions = {},
  names: DocumentFieldNames = MODEL_FIELD_NAMES,
  location: { docId?: string; line?: number } = {},
): DatasetError[] {
  const errors: DatasetError[] = [];
  const at = { file: options.file, docIndex, docId: location.docId ?? doc.id, line: location.line };
  const fail = (field: string, problem: string) => errors.push(new DatasetError({ ...at, field }, problem));

  const nTokens = doc.tokens.length;
  if (nTokens === 0) fail(names.tokens, `${names.tokens} is empty (a document needs at least one token)`);
  if (options.maxTokens !== undefined && nTokens > options.maxTokens) {
    fail(names.tokens, `${names.tokens} has ${nTokens} tokens, more than the maximum of ${options.maxTokens}`);
  }

  const entityTypes = options.schema ? new Set(options.schema.entities.map((e) => e.name)) : undefined;
  const relationTypes = options.schema ? new Set(options.schema.relations.map((r) => r.name)) : undefined;
  const symmetric = new Set((options.schema?.relations ?? []).filter((r) => r.symmetric).map((r) => r.name));

  const seenEntities = new Map<string, number>();
  doc.entities.forEach((e, i) => {
    if (typeof e.type !== 'string') fail(names.entity(i, 'type'), `${names.entity(i, 'type')} must be a string (got ${describeType(e.type)})`);
    else if (entityTypes && !entityTypes.has(e.type)) {
      fail(names.entity(i, 'type'), `${names.entity(i, 'type')} = "${e.type}" is not an entity type of the schema (known: ${[...entityTypes].join(', ')})`);
    }
    let spanOk = true;
    for (const prop of ['start', 'end'] as const) {
      const v = e[prop];
      const field = names.entity(i, prop);
      if (!Number.isInteger(v)) {
        fail(field, `${field} must be an integer (got ${JSON.stringify(v) ?? describeType(v)})`);
        spanOk = false;
      } else if (prop === 'start' ? v < 0 || v >= nTokens : v < 1 || v > nTokens) {
        fail(field, `${field} = ${v} is out of range (the document has ${nTokens} tokens)`);
        spanOk = false;
      }
    }
    if (Number.isInteger(e.start) && Number.isInteger(e.end) && e.start >= e.end) {
      fail(names.entity(i), `${names.entity(i)} has start ${e.start} >= end ${e.end} (spans are [start, end) and must not be empty)`);
      spanOk = false;
    }
    if (spanOk && typeof e.type === 'string' && !options.lenient) {
      const key = `${e.start}:${e.end}:${e.type}`;
      const first = seenEntities.get(key);
      if (first !== undefined) {
        fail(names.entity(i), `${names.entity(i)} duplicates ${names.entity(first)} (same span [${e.start}, ${e.end}) and type "${e.type}")`);
      } else seenEntities.set(key, i);
    }
  });

  const nEntities = doc.entities.length;
  const seenRelations = new Map<string, number>();
  doc.relations.forEach((r, k) => {
    if (typeof r.type !== 'string') fail(names.relation(k, 'type'), `${names.relation(k, 'type')} must be a string (got ${describeType(r.type)})`);
    else if (relationTypes && !relationTypes.has(r.type)) {
      fail(names.relation(k, 'type'), `${names.relation(k, 'type')} = "${r.type}" is not a relation type of the schema (known: ${[...relationTypes].join(', ')})`);
    }
    let argsOk = true;
    for (const prop of ['head', 'tail'] as const) {
      const v = r[prop];
      const field = names.relation(k, prop);
      if (!Number.isInteger(v)) {
        fail(field, `${field} must be an integer entity index (got ${JSON.stringify(v) ?? describeType(v)})`);
        argsOk = false;
      } else if (v < 0 || v >= nEntities) {
        fail(field, `${field} = ${v} is out of range (the document has ${nEntities} entities)`);
        argsOk = false;
      }
    }
    if (!argsOk || options.lenient) return;
    if (r.head === r.tail) {
      fail(names.relation(k), `${names.relation(k)} relates ${names.entity(r.head)} to itself (head = tail = ${r.head})`);
      return;
    }
    const sym = symmetric.has(r.type);
    const [a, b] = sym && r.tail < r.head ? [r.tail, r.head] : [r.head, r.tail];
    const key = `${r.type}\u0000${a}:${b}`;
    const first = seenRelations.get(key);
    if (first !== undefined) {
      const why = sym ? 'same type, same pair of entities (the type is symmetric)' : 'same type, head and tail';
      fail(names.relation(k), `${names.relation(k)} duplicates ${names.relation(first)} (${why})`);
    } else seenRelations.set(key, k);
  });
  return errors;
}
