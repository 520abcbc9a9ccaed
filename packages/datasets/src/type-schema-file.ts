/** The label schema as a file (Node): see `type-schema.ts` for the format. */
import { readFileSync, writeFileSync } from 'node:fs';
import { formatTypeSchema, parseTypeSchema } from './type-schema.js';
import type { TypeSchema } from './types.js';

/** Reads a SpERT types file (see `parseTypeSchema`). */
export function readTypeSchema(path: string): TypeSchema {
  return parseTypeSchema(readFileSync(path, 'utf8'), path);
}

/** Writes a SpERT types file. */
export function writeTypeSchema(path: string, schema: TypeSchema): void {
  writeFileSync(path, formatTypeSchema(schema), 'utf8');
}
