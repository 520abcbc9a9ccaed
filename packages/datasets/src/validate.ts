/**
 * Checks of the document model itself (after a reader built it, or on documents made in
 * memory): spans in range and non-empty, known types, relation arguments in range, no
 * self-relations, no duplicates, no empty or over-long token lists.
 */
import { DatasetError, DatasetWarning, describeType, throwIfAny } from './errors.js';
import type { Document, Entity, Relation, TypeSchema } from './types.js';

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
  /**
   * Duplicate entities (same span and type) and duplicate relations (same type, head and
   * tail; order-free for symmetric types) are errors. By default they are warnings: the
   * readers (and `mergeDuplicates`) merge them, and `validateDocument(s)` passes them to
   * `onWarnings` instead of returning them. Every other problem is an error either way.
   */
  strict?: boolean;
  /**
   * Receives the duplicate warnings when not strict: once per file from the readers (after
   * the merge), once per call from `validateDocuments` / `validateDocument` / `mergeDuplicates`,
   * only when there are any. Readers print them to stderr (`formatWarnings`) without it.
   */
  onWarnings?: (warnings: readonly DatasetWarning[]) => void;
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

/**
 * Every problem of every document (empty list = valid). Nothing is skipped or repaired;
 * duplicates are errors only with `strict` (else warnings, see `ValidationOptions`).
 */
export function validateDocuments(docs: readonly Document[], options: ValidationOptions = {}): DatasetError[] {
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  docs.forEach((doc, i) => {
    const checked = splitProblems(checkDocument(doc, i, options), options);
    errors.push(...checked.errors);
    warnings.push(...checked.warnings);
  });
  if (warnings.length > 0) options.onWarnings?.(warnings);
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
  const { errors, warnings } = splitProblems(checkDocument(doc, docIndex, options, names, location), options);
  if (warnings.length > 0) options.onWarnings?.(warnings);
  return errors;
}

/** A problem found by `checkDocument`; `duplicate` marks duplicate entities / relations (warnings unless strict). */
interface Problem {
  error: DatasetError;
  duplicate: boolean;
}

function splitProblems(problems: readonly Problem[], options: ValidationOptions): { errors: DatasetError[]; warnings: DatasetWarning[] } {
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  for (const p of problems) {
    if (!p.duplicate || options.strict) errors.push(p.error);
    else warnings.push(new DatasetWarning(p.error.location, p.error.problem));
  }
  return { errors, warnings };
}

function checkDocument(
  doc: Document,
  docIndex: number,
  options: ValidationOptions = {},
  names: DocumentFieldNames = MODEL_FIELD_NAMES,
  location: { docId?: string; line?: number } = {},
): Problem[] {
  const errors: Problem[] = [];
  const at = { file: options.file, docIndex, docId: location.docId ?? doc.id, line: location.line };
  const fail = (field: string, problem: string, duplicate = false) => errors.push({ error: new DatasetError({ ...at, field }, problem), duplicate });

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
        fail(names.entity(i), `${names.entity(i)} duplicates ${names.entity(first)} (same span [${e.start}, ${e.end}) and type "${e.type}")`, true);
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
      fail(names.relation(k), `${names.relation(k)} duplicates ${names.relation(first)} (${why})`, true);
    } else seenRelations.set(key, k);
  });
  return errors;
}

/** What `mergeDocumentDuplicates` gives: the document (merged, or as it was), its errors and its warnings. */
export interface MergedDocument {
  doc: Document;
  errors: DatasetError[];
  warnings: DatasetWarning[];
}

/**
 * Checks a document (as `validateDocument`) and, unless `strict` or `lenient`, merges its
 * duplicates, with one warning per duplicate: a duplicate entity (same span and type) is
 * dropped, and relations pointing to it are re-pointed to its first copy; then a duplicate
 * relation (same type, head and tail; order-free for symmetric types) is dropped. A
 * document with any other problem is returned as it was, with its errors (nothing is
 * merged); a relation between an entity and its duplicate is an error (a self-relation).
 * Readers call this for every document; warnings and errors name fields through `names`,
 * by their positions in the file.
 */
export function mergeDocumentDuplicates(
  doc: Document,
  docIndex: number,
  options: ValidationOptions = {},
  names: DocumentFieldNames = MODEL_FIELD_NAMES,
  location: { docId?: string; line?: number } = {},
): MergedDocument {
  const problems = checkDocument(doc, docIndex, options, names, location);
  const errors = problems.filter((p) => options.strict || !p.duplicate).map((p) => p.error);
  if (errors.length > 0 || !problems.some((p) => p.duplicate) || options.strict) return { doc, errors, warnings: [] };

  const at = { file: options.file, docIndex, docId: location.docId ?? doc.id, line: location.line };
  const warnings: DatasetWarning[] = [];
  const entities: Entity[] = [];
  const newIndex: number[] = []; // original entity index -> index in `entities`
  const firstOf = new Map<string, number>(); // span and type -> original index of the first copy
  doc.entities.forEach((e, i) => {
    const key = `${e.start}:${e.end}:${e.type}`;
    const first = firstOf.get(key);
    if (first === undefined) {
      firstOf.set(key, i);
      newIndex.push(entities.length);
      entities.push(e);
      return;
    }
    newIndex.push(newIndex[first]);
    const repointed = doc.relations.flatMap((r, k) => (r.head === i || r.tail === i ? [names.relation(k)] : []));
    const moved = repointed.length > 0 ? `; ${repointed.join(', ')} re-pointed to ${names.entity(first)}` : '';
    warnings.push(new DatasetWarning({ ...at, field: names.entity(i) }, `${names.entity(i)} duplicates ${names.entity(first)} (same span [${e.start}, ${e.end}) and type "${e.type}"): merged into it${moved}`));
  });

  const symmetric = new Set((options.schema?.relations ?? []).filter((r) => r.symmetric).map((r) => r.name));
  const relations: Relation[] = [];
  const seen = new Map<string, number>(); // type and pair -> original index of the first copy
  doc.relations.forEach((r, k) => {
    const head = newIndex[r.head];
    const tail = newIndex[r.tail];
    if (head === tail) {
      errors.push(new DatasetError({ ...at, field: names.relation(k) }, `${names.relation(k)} relates ${names.entity(r.head)} to ${names.entity(r.tail)}, a duplicate of it (an entity related to itself)`));
      return;
    }
    const sym = symmetric.has(r.type);
    const [a, b] = sym && tail < head ? [tail, head] : [head, tail];
    const key = `${r.type}\u0000${a}:${b}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const why = sym ? 'same type, same pair of entities (the type is symmetric)' : 'same type, head and tail';
      const afterMerge = head !== r.head || tail !== r.tail || doc.relations[first].head !== newIndex[doc.relations[first].head] ? ', once duplicate entities are merged' : '';
      warnings.push(new DatasetWarning({ ...at, field: names.relation(k) }, `${names.relation(k)} duplicates ${names.relation(first)} (${why}${afterMerge}): dropped`));
      return;
    }
    seen.set(key, k);
    relations.push(head === r.head && tail === r.tail ? r : { ...r, head, tail });
  });
  if (errors.length > 0) return { doc, errors, warnings: [] };
  return { doc: { ...doc, entities, relations }, errors, warnings };
}

/**
 * Documents made in memory, checked and with their duplicates merged as the readers do
 * (see `mergeDocumentDuplicates`): throws the first error (carrying all of them) if any,
 * passes the warnings to `onWarnings`, and returns the merged documents. With `strict`,
 * duplicates are errors.
 */
export function mergeDuplicates(docs: readonly Document[], options: ValidationOptions = {}): Document[] {
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  const out = docs.map((doc, i) => {
    const merged = mergeDocumentDuplicates(doc, i, options);
    errors.push(...merged.errors);
    warnings.push(...merged.warnings);
    return merged.doc;
  });
  throwIfAny(errors);
  if (warnings.length > 0) options.onWarnings?.(warnings);
  return out;
}
