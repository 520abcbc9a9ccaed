/**
 * Everything of `@spanrel/datasets` that imports no Node built-in (the browser
 * entry's): document types, validation, the type schema as text, spans,
 * sampling, tags, folds, batching, statistics. Reading and writing files (the
 * formats' read / write functions) is in the Node entry only.
 */
export type { Document, Entity, Relation, EntityTypeDef, RelationTypeDef, TypeSchema } from './types.js';
export { DatasetError, DatasetWarning, formatWarnings, throwIfAny, describeType, type DatasetErrorLocation } from './errors.js';
export { parseJsonText, findJsonSyntaxError, toPythonJson, lineAndColumn } from './json-text.js';
export { parseTypeSchema, formatTypeSchema, inferTypeSchema, symmetricRelationTypes } from './type-schema.js';
export {
  validateDocuments,
  validateDocument,
  assertValidDocuments,
  mergeDocumentDuplicates,
  mergeDuplicates,
  MODEL_FIELD_NAMES,
  type MergedDocument,
  type ValidationOptions,
  type DocumentFieldNames,
} from './validate.js';
export { createRng, mulberry32, toRng, type Rng } from './rng.js';
export { enumerateSpans, countSpans, spanIndex, spansOverlap, spanRelation, type Span, type SpanOrder } from './spans.js';
export {
  sampleNegatives,
  negativeCandidates,
  negativeBudget,
  countNegatives,
  DEFAULT_SAMPLING_MAX_WIDTH,
  type NegativeSamples,
  type NegativeSamplingOptions,
  type SpertSamplingOptions,
  type RatioSamplingOptions,
} from './negative-sampling.js';
export {
  parseBioLabel,
  entitiesToBioTags,
  bioTagsToEntities,
  entitiesToExtendedBioTags,
  extendedBioTagsToEntities,
  decodeBioTags,
  type BioLabel,
  type BioTagProblem,
} from './bio-tags.js';
export { kFoldIndices, kFoldSplits, type Fold, type FoldIndices, type KFoldOptions } from './folds.js';
export { shuffled, chunk, sortByLength, bucketByLength, makeBatches, batchByTokenBudget, type BatchOptions } from './batching.js';
export { groupIntoDocuments, defaultDocumentKey, documentKeyFromIdPrefix, type DocumentKeyFn } from './document-groups.js';
export {
  computeStatistics,
  ratioOf,
  NONE_CLASS,
  ANY_TYPE_CLASS,
  type StatisticsOptions,
  type CorpusStatistics,
  type SpanCoverageRow,
  type ImbalanceRatio,
  type ImbalanceStatistics,
} from './statistics.js';
export { formatStatistics, formatTable, formatCount } from './statistics-format.js';
