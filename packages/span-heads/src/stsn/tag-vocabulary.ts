import * as tf from '@tensorflow/tfjs-core';

/** The JSON form of a {@link TagVocabulary}: its tags in id order (`tags[0]` is `"O"`). */
export interface TagVocabularyJson {
  tags: string[];
}

/** `O`, `B-<type>` or `I-<type>`. */
const LABEL = /^(O|[BI]-.+)$/s;

/**
 * Whether `tag` is a BIO tag: one label, or (extended BIO, STSN section 4.1)
 * labels joined by `/` such as `B-AE/B-DRUG`. These are exactly the tags the
 * `@spanrel/datasets` decoders (`extendedBioTagsToEntities`, `decodeBioTags`) accept.
 */
export function isBioTag(tag: string): boolean {
  return LABEL.test(tag) || (tag.includes('/') && tag.split('/').every((part) => LABEL.test(part)));
}

/**
 * The token label set of STSN's sequence tagger (section 3.3, "token BIO label
 * size l"): every distinct tag of the training data, plain (`B-Peop`) or extended
 * (`I-Peop/B-Org`), with `"O"` always id 0 (padding tokens are given id 0 and
 * masked) and the rest in code-point order, so the ids depend only on the set of tags.
 *
 * Built from tag sequences (`@spanrel/datasets`' `entitiesToExtendedBioTags` of
 * each training sentence), saved as JSON (`toJSON` / `fromJSON`; `StsnTagger`
 * keeps the tag list in its config).
 *
 * ```ts
 * const vocab = TagVocabulary.fromTagSequences(train.map((d) => entitiesToExtendedBioTags(d.tokens.length, d.entities)));
 * vocab.id('B-Peop');                  // e.g. 1
 * JSON.stringify(vocab);               // {"tags":["O","B-Org","B-Peop","I-Peop/B-Org",...]}
 * ```
 */
export class TagVocabulary {
  /** Tags by id; `tags[0] === "O"`. */
  readonly tags: readonly string[];
  private readonly ids: ReadonlyMap<string, number>;

  /**
   * @param tags tags by id: `"O"` first, no duplicate, each a BIO tag ({@link isBioTag})
   * @param where names the source in errors (a file, `"config.tags"`)
   */
  constructor(tags: readonly string[], where = 'tags') {
    if (!Array.isArray(tags) || tags.length === 0 || tags[0] !== 'O') {
      throw new Error(`TagVocabulary: ${where} must be a non-empty array of tags starting with "O", got ${JSON.stringify(tags)?.slice(0, 80)}`);
    }
    const ids = new Map<string, number>();
    tags.forEach((tag, i) => {
      if (typeof tag !== 'string' || !isBioTag(tag)) throw new Error(`TagVocabulary: ${where}[${i}] = ${JSON.stringify(tag)} is not a BIO tag (O, B-<type>, I-<type>, or such labels joined by /)`);
      if (ids.has(tag)) throw new Error(`TagVocabulary: ${where}[${i}] = "${tag}" repeats ${where}[${ids.get(tag)}]`);
      ids.set(tag, i);
    });
    this.tags = [...tags];
    this.ids = ids;
  }

  /**
   * The vocabulary of every tag in the sequences (plus `"O"`).
   * Throws naming `sequences[i][t]` for a string that is not a BIO tag.
   */
  static fromTagSequences(sequences: ReadonlyArray<ReadonlyArray<string>>): TagVocabulary {
    const seen = new Set<string>();
    sequences.forEach((tags, i) =>
      tags.forEach((tag, t) => {
        if (typeof tag !== 'string' || !isBioTag(tag)) throw new Error(`TagVocabulary.fromTagSequences: sequences[${i}][${t}] = ${JSON.stringify(tag)} is not a BIO tag`);
        seen.add(tag);
      }),
    );
    seen.delete('O');
    return new TagVocabulary(['O', ...[...seen].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]);
  }

  /** Rebuilds a vocabulary saved with `JSON.stringify(vocab)`; `where` names the source (e.g. the file) in errors. */
  static fromJSON(json: unknown, where = 'tag vocabulary'): TagVocabulary {
    if (typeof json !== 'object' || json === null || !Array.isArray((json as TagVocabularyJson).tags)) {
      throw new Error(`TagVocabulary.fromJSON: ${where} must be an object with a "tags" array`);
    }
    return new TagVocabulary((json as TagVocabularyJson).tags, `${where}: tags`);
  }

  toJSON(): TagVocabularyJson {
    return { tags: [...this.tags] };
  }

  /** l, the number of tags. */
  get size(): number {
    return this.tags.length;
  }

  has(tag: string): boolean {
    return this.ids.has(tag);
  }

  /** The id of a tag; throws for a tag outside the vocabulary. */
  id(tag: string): number {
    const id = this.ids.get(tag);
    if (id === undefined) throw new Error(`TagVocabulary: tag "${tag}" is not in the vocabulary (${this.size} tags built from the training data)`);
    return id;
  }

  /** The tag of an id; throws for an id outside `[0, size)`. */
  tag(id: number): string {
    const tag = this.tags[id];
    if (tag === undefined || !Number.isInteger(id)) throw new Error(`TagVocabulary: id ${id} is outside [0, ${this.size})`);
    return tag;
  }

  /**
   * Gold tag ids of a batch, padded with 0 (`"O"`) to T tokens.
   * Throws naming `sequences[b][t]` for a tag outside the vocabulary.
   *
   * @param sequences `sequences[b]`: the tags of sentence b (at most `seqLen`)
   * @param seqLen T
   * @returns int32 `[B, T]`
   */
  encodeBatch(sequences: ReadonlyArray<ReadonlyArray<string>>, seqLen: number): tf.Tensor2D {
    const values = new Int32Array(sequences.length * seqLen);
    sequences.forEach((tags, b) => {
      if (tags.length > seqLen) throw new Error(`TagVocabulary.encodeBatch: sequences[${b}] has ${tags.length} tags, more than T = ${seqLen} tokens`);
      tags.forEach((tag, t) => {
        const id = this.ids.get(tag);
        if (id === undefined) throw new Error(`TagVocabulary.encodeBatch: sequences[${b}][${t}] = "${tag}" is not in the vocabulary (${this.size} tags built from the training data)`);
        values[b * seqLen + t] = id;
      });
    });
    return tf.tensor2d(values, [sequences.length, seqLen], 'int32'); // [B, T]
  }
}
