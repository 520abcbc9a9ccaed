/**
 * The label schema (SpERT `*_types.json`): entity and relation type names, their short and
 * verbose names, and which relation types are symmetric (order-free).
 */
import { DatasetError, describeType, throwIfAny } from './errors.js';
import { parseJsonText, toPythonJson } from './json-text.js';
import type { Document, EntityTypeDef, RelationTypeDef, TypeSchema } from './types.js';

/**
 * Parses a SpERT types file:
 * `{"entities": {Name: {short, verbose}}, "relations": {Name: {short, verbose, symmetric}}}`.
 * `short` and `verbose` default to the name and `symmetric` to `false` when absent; a
 * present field of the wrong type is an error. Key order gives the type order.
 */
export function parseTypeSchema(text: string, source = '<types>'): TypeSchema {
  const raw = parseJsonText(text, source);
  const errors: DatasetError[] = [];
  const fail = (field: string, problem: string) => errors.push(new DatasetError({ file: source, field }, problem));
  if (!isPlainObject(raw)) {
    throw new DatasetError({ file: source }, `the types file must be a JSON object with "entities" and "relations" (got ${describeType(raw)})`);
  }
  const entities: EntityTypeDef[] = [];
  const relations: RelationTypeDef[] = [];
  for (const section of ['entities', 'relations'] as const) {
    const group = raw[section];
    if (group === undefined) {
      fail(section, `${section} is missing`);
      continue;
    }
    if (!isPlainObject(group)) {
      fail(section, `${section} must be an object of type definitions (got ${describeType(group)})`);
      continue;
    }
    for (const [name, def] of Object.entries(group)) {
      const field = `${section}.${name}`;
      if (!isPlainObject(def)) {
        fail(field, `${field} must be an object {short, verbose${section === 'relations' ? ', symmetric' : ''}} (got ${describeType(def)})`);
        continue;
      }
      const str = (key: 'short' | 'verbose'): string => {
        const v = def[key];
        if (v === undefined) return name;
        if (typeof v !== 'string') fail(`${field}.${key}`, `${field}.${key} must be a string (got ${describeType(v)})`);
        return String(v);
      };
      const short = str('short');
      const verbose = str('verbose');
      if (section === 'entities') {
        entities.push({ name, short, verbose });
      } else {
        const sym = def.symmetric;
        if (sym !== undefined && typeof sym !== 'boolean') {
          fail(`${field}.symmetric`, `${field}.symmetric must be true or false (got ${describeType(sym)})`);
        }
        relations.push({ name, short, verbose, symmetric: sym === true });
      }
    }
  }
  throwIfAny(errors);
  return { entities, relations };
}

/** The SpERT types file text of a schema (Python `json.dumps` layout). */
export function formatTypeSchema(schema: TypeSchema): string {
  const entities: Record<string, unknown> = {};
  for (const e of schema.entities) entities[e.name] = { short: e.short, verbose: e.verbose };
  const relations: Record<string, unknown> = {};
  for (const r of schema.relations) relations[r.name] = { short: r.short, verbose: r.verbose, symmetric: r.symmetric };
  return toPythonJson({ entities, relations });
}

/**
 * A schema with every type used in `docs`, sorted by name; short = verbose = name and no
 * relation symmetric (the data cannot tell). For corpora that come without a types file.
 */
export function inferTypeSchema(docs: readonly Document[]): TypeSchema {
  const entityNames = new Set<string>();
  const relationNames = new Set<string>();
  for (const doc of docs) {
    for (const e of doc.entities) entityNames.add(e.type);
    for (const r of doc.relations) relationNames.add(r.type);
  }
  return {
    entities: [...entityNames].sort().map((name) => ({ name, short: name, verbose: name })),
    relations: [...relationNames].sort().map((name) => ({ name, short: name, verbose: name, symmetric: false })),
  };
}

/** Names of the symmetric relation types of a schema (empty without a schema). */
export function symmetricRelationTypes(schema: TypeSchema | undefined): Set<string> {
  return new Set((schema?.relations ?? []).filter((r) => r.symmetric).map((r) => r.name));
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
