/**
 * @spanrel/datasets — documents in and out (SpERT JSON, DyGIE++ JSONL, CoNLL BIO),
 * validation with located errors, span enumeration, negative sampling, BIO / extended BIO
 * tags, k-fold splits, batching and corpus statistics. No tensors, Node built-ins only.
 */
export * from './portable.js';
export { readTypeSchema, writeTypeSchema } from './type-schema-file.js';
export type { ReadOptions } from './formats/read-options.js';
export { parseSpertJson, readSpertJson, formatSpertJson, writeSpertJson, type SpertWriteOptions } from './formats/spert-json.js';
export { parseDygieJsonl, readDygieJsonl, formatDygieJsonl, writeDygieJsonl, type DygieExtra } from './formats/dygie-jsonl.js';
export {
  parseConllBio,
  readConllBio,
  formatConllBio,
  writeConllBio,
  type ConllReadOptions,
  type ConllWriteOptions,
} from './formats/conll-bio.js';
export { readDocuments, writeDocuments, formatFromPath, type DatasetFormat, type ReadDocumentsOptions } from './formats/read-documents.js';
