/**
 * The document model every spanrel package speaks. Spans are `[start, end)` word
 * indices (end exclusive), as in the SpERT JSON format; other formats are
 * converted at the reader/writer boundary.
 */

/** An entity mention: `tokens.slice(start, end)`, of one entity type. */
export interface Entity {
  type: string;
  /** First word of the span (inclusive). */
  start: number;
  /** One past the last word of the span (exclusive). */
  end: number;
}

/** A directed relation between two entities of the same document, by index into `entities`. */
export interface Relation {
  type: string;
  head: number;
  tail: number;
}

/** One annotated unit of text (a sentence in SpERT JSON, a sentence of a DyGIE++ document once split). */
export interface Document {
  /** Stable identifier: `orig_id` when the source has one, else the position in the file. */
  id: string;
  tokens: string[];
  entities: Entity[];
  relations: Relation[];
  /**
   * The document this sentence belongs to, when the source says so (DyGIE++ `doc_key`,
   * a CoNLL `-DOCSTART-` block). Consecutive sentences with the same `docKey` form one
   * document (used by document-level statistics and by the DyGIE++ writer).
   */
  docKey?: string;
  /** Position of this sentence inside its document (0-based), when `docKey` is set. */
  sentenceIndex?: number;
  /**
   * Source fields the model does not use, by format name, so that the writer of that
   * format can round-trip them: `extra.spert` holds a SpERT entry's other keys (`orig_id`),
   * `extra.dygie` a DyGIE++ document's other keys (`clusters`, `dataset`, ...; on the
   * document's first sentence). Writers of other formats ignore them.
   */
  extra?: { [format: string]: Record<string, unknown> | undefined };
}

export interface EntityTypeDef {
  name: string;
  short: string;
  verbose: string;
}

export interface RelationTypeDef {
  name: string;
  short: string;
  verbose: string;
  /** Order-free relation: (a, b) and (b, a) are the same tuple. */
  symmetric: boolean;
}

/** The label schema of a corpus (the SpERT `*_types.json` file). */
export interface TypeSchema {
  entities: EntityTypeDef[];
  relations: RelationTypeDef[];
}
