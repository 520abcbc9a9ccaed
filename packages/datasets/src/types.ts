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
