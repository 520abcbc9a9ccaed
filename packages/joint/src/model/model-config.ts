import type { ComponentSpec } from '../config/component-spec.js';

/** Value of `format` in a saved model's `config.json`. */
export const MODEL_FORMAT = 'spanrel-joint-model';

/** Version of the model folder layout. */
export const MODEL_FORMAT_VERSION = 1;

/** How a model decodes (saved with it, so a reloaded model predicts the same). */
export interface DecodingSettings {
  /** Widest span enumerated at decoding. */
  maxSpanWidth: number;
  /** At most this many entity spans kept per sentence (the most probable), or null for all of them. */
  maxKeptSpans: number | null;
  /** Sentences per batch. */
  decodeBatchSize: number;
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
