import type { EntityOverlap } from '../decoding/non-overlapping-spans.js';
import type { ComponentSpec } from '../config/component-spec.js';

/** Value of `format` in a saved model's `config.json`. */
export const MODEL_FORMAT = 'spanrel-joint-model';

/** Version of the model folder layout. */
export const MODEL_FORMAT_VERSION = 1;

/** Default of `keptSpansPerWord` (DyGIE++ keeps 0.4 spans per word for relations). */
export const DEFAULT_KEPT_SPANS_PER_WORD = 0.4;

/** Default of `minKeptSpans`: short sentences may keep this many entity spans. */
export const DEFAULT_MIN_KEPT_SPANS = 8;

/** How a model decodes (saved with it, so a reloaded model predicts the same). */
export interface DecodingSettings {
  /** Widest span enumerated at decoding. */
  maxSpanWidth: number;
  /** At most this many entity spans kept per sentence (the most probable), or null for all of them. */
  maxKeptSpans: number | null;
  /**
   * Span pruning by sentence length (as DyGIE++'s `spans_per_word`): a sentence
   * of n words keeps at most max(`minKeptSpans`, ceil(`keptSpansPerWord` * n))
   * entity spans (the most probable), so that pairing them costs O(n^2) whatever
   * the model predicts; null = no length cap (`maxKeptSpans` alone). Absent (a
   * model saved before this setting): {@link DEFAULT_KEPT_SPANS_PER_WORD}.
   */
  keptSpansPerWord?: number | null;
  /** The floor of the length cap (absent: {@link DEFAULT_MIN_KEPT_SPANS}). */
  minKeptSpans?: number;
  /** Sentences per batch. */
  decodeBatchSize: number;
  /**
   * Overlapping predicted entities: `allow` keeps them all, `flat` keeps the most
   * probable of each overlapping group (see `EntityOverlap`). Absent (a model saved
   * before this setting): `allow`.
   */
  entityOverlap?: EntityOverlap;
}

/**
 * A model's `config.json`: every component by registry name with its full
 * config (dimensions filled in), and the decoding settings. Together with the
 * label schema, the encoder's assets and the weights, it rebuilds the model.
 */
export interface JointModelConfig extends DecodingSettings {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_FORMAT_VERSION;
  encoder: ComponentSpec;
  spanHead: ComponentSpec;
  entityClassifier: ComponentSpec;
  relationHead: ComponentSpec;
  /** STSN's token interaction, when the model has one (absent otherwise). */
  tokenInteraction?: ComponentSpec;
  /** STSN's tagger (its config carries the tag vocabulary), when the model has one. */
  tagger?: ComponentSpec;
}
