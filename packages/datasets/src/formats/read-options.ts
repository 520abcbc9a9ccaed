import type { DatasetWarning } from '../errors.js';
import type { TypeSchema } from '../types.js';

/** Options shared by every reader. */
export interface ReadOptions {
  /** When given, every entity and relation type must be declared in it. */
  schema?: TypeSchema;
  /** When given, a sentence with more tokens is an error. */
  maxTokens?: number;
  /** Accept duplicates and self-relations (for predictions to be scored); see `ValidationOptions.lenient`. */
  lenient?: boolean;
  /**
   * Duplicate entities and relations are errors. Without it they are merged (a duplicate
   * entity's relations re-pointed to its first copy, then duplicate relations dropped), with
   * a warning each that names the file, the document and the field.
   */
  strict?: boolean;
  /** Receives a file's warnings once, when it has any; default: printed to stderr (`formatWarnings`). */
  onWarnings?: (warnings: readonly DatasetWarning[]) => void;
}
