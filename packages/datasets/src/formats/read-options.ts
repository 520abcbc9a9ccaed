import type { TypeSchema } from '../types.js';

/** Options shared by every reader. */
export interface ReadOptions {
  /** When given, every entity and relation type must be declared in it. */
  schema?: TypeSchema;
  /** When given, a sentence with more tokens is an error. */
  maxTokens?: number;
  /** Accept duplicates and self-relations (for predictions to be scored); see `ValidationOptions.lenient`. */
  lenient?: boolean;
}
