import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, LayerNorm, Rng, zeroMaskedRows } from '@spanrel/tensor-core';
import { checkBoolean, checkConfigObject, checkPositiveInt, checkPositiveNumber, checkRate, checkSeed } from '@spanrel/tensor-core';
import { StsnAttentionLayer, type StsnViews } from './stsn-attention-layer.js';

/** Config of {@link StsnTokenInteraction}. */
export interface StsnTokenInteractionConfig {
  /** D, the size of the encoder's word states (`Ê_S`). */
  inputDim: number;
  /** d, the size of the three views. Default `inputDim` (STSN keeps the BERT size). */
  hiddenDim?: number;
  /** N, the stacked attention layers. Default 4 (STSN section 4.1; Table 3 ablates 1..6). */
  numLayers?: number;
  /** h, the heads of every multi-head attention; `hiddenDim` must be divisible by it. Default 8. */
  numHeads?: number;
  /** Inner size of every unit's FFN. Default `hiddenDim`. */
  ffnDim?: number;
  /** Dropout inside the attention units while training. Default 0.1. */
  dropout?: number;
  /** Epsilon of the units' layer norms. Default 1e-5. */
  layerNormEps?: number;
  /** Post-LN (default, the paper's) or pre-LN attention units (see `StsnAttentionUnitConfig.norm`). */
  norm?: 'post' | 'pre';
  /**
   * true: a layer norm over the word states before the three projections. The paper's
   * stack reads BERT's (layer-normed) output; a BiLSTM's states are small (about 0.08
   * rms), so in the first residual sum the attention's unit-scale output drowns each
   * token's own state. Default false (the paper's); the `stsn` preset sets it with the BiLSTM.
   */
  inputLayerNorm?: boolean;
  /** false: the "-E&R-L-A" ablation (Table 4): every layer's E&R-L-A takes H_L as query, key and value. Default true. */
  erla?: boolean;
  /**
   * false: the "-AttentionLayer" ablation (Table 4): the three projections of the
   * word states are the final views, with no stacked layer (`numLayers` is then unused). Default true.
   */
  attentionLayers?: boolean;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

const FIELDS = ['inputDim', 'hiddenDim', 'numLayers', 'numHeads', 'ffnDim', 'dropout', 'layerNormEps', 'norm', 'inputLayerNorm', 'erla', 'attentionLayers', 'seed'] as const;

function checkOneOf<T extends string>(kind: string, field: string, value: unknown, options: readonly T[]): T {
  if (!options.includes(value as T)) throw new Error(`${kind}: config.${field} must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * STSN's deep stacked attention layers (Ji et al., section 3.2): the word states
 * `Ê_S [B, T, D]` are projected (three linear layers) into a label view H_L^0, an
 * entity view H_E^0 and a relation view H_R^0; then N {@link StsnAttentionLayer}s
 * (each E&R-L-A, then L-E-A and L-R-A over the new H_L) give H_L^N, H_E^N, H_R^N.
 *
 * - The tagger reads `label` (H_L^N); the span and relation decoders read
 *   `entity` / `relation` with label embeddings appended (`StsnTagger.decoderInputs`).
 * - Padding tokens are masked as keys in every attention, so they never change a
 *   real token; the returned views are exactly 0 at padding tokens (a sentence
 *   with no real token gets all-0 views).
 *
 * Parameters `labelProjection.*`, `entityProjection.*`, `relationProjection.*`,
 * `layers.<i>.*`. Registered as `"stsn-token-interaction.v1"`.
 *
 * ```ts
 * const interaction = new StsnTokenInteraction({ inputDim: 768 });  // 4 layers, 8 heads
 * const views = interaction.apply(enc.hidden, enc.mask, true);      // label / entity / relation [B, T, 768]
 * ```
 */
export class StsnTokenInteraction extends BaseModule {
  static readonly kind = 'stsn-token-interaction.v1';
  readonly name = StsnTokenInteraction.kind;
  /** D of the word states. */
  readonly inputDim: number;
  /** d of each view. */
  readonly outputDim: number;
  /** The stacked layers in order (empty for the -AttentionLayer ablation). */
  readonly layers: readonly StsnAttentionLayer[];
  private readonly settings: Required<StsnTokenInteractionConfig>;
  private readonly labelProjection: Dense;
  private readonly entityProjection: Dense;
  private readonly relationProjection: Dense;
  private readonly inputNorm: LayerNorm | null;

  constructor(config: StsnTokenInteractionConfig) {
    super();
    const kind = StsnTokenInteraction.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    const inputDim = checkPositiveInt(kind, 'inputDim', c.inputDim);
    const hiddenDim = checkPositiveInt(kind, 'hiddenDim', c.hiddenDim ?? inputDim);
    this.settings = {
      inputDim,
      hiddenDim,
      numLayers: checkPositiveInt(kind, 'numLayers', c.numLayers ?? 4),
      numHeads: checkPositiveInt(kind, 'numHeads', c.numHeads ?? 8),
      ffnDim: checkPositiveInt(kind, 'ffnDim', c.ffnDim ?? hiddenDim),
      dropout: checkRate(kind, 'dropout', c.dropout ?? 0.1),
      layerNormEps: checkPositiveNumber(kind, 'layerNormEps', c.layerNormEps ?? 1e-5),
      norm: checkOneOf(kind, 'norm', c.norm ?? 'post', ['post', 'pre'] as const),
      inputLayerNorm: checkBoolean(kind, 'inputLayerNorm', c.inputLayerNorm ?? false),
      erla: checkBoolean(kind, 'erla', c.erla ?? true),
      attentionLayers: checkBoolean(kind, 'attentionLayers', c.attentionLayers ?? true),
      seed: checkSeed(kind, c.seed ?? 0),
    };
    const s = this.settings;
    if (s.attentionLayers && hiddenDim % s.numHeads !== 0) {
      throw new Error(`${kind}: config.hiddenDim (${hiddenDim}) must be divisible by config.numHeads (${s.numHeads})`);
    }
    this.inputDim = inputDim;
    this.outputDim = hiddenDim;
    const rng = new Rng(s.seed);
    const projection = () => new Dense({ inputDim, outputDim: hiddenDim, seed: rng.seed() });
    this.labelProjection = this.addChild('labelProjection', projection());
    this.entityProjection = this.addChild('entityProjection', projection());
    this.relationProjection = this.addChild('relationProjection', projection());
    this.inputNorm = s.inputLayerNorm ? this.addChild('inputNorm', new LayerNorm({ dim: inputDim, eps: s.layerNormEps })) : null;
    const numLayers = s.attentionLayers ? s.numLayers : 0;
    this.layers = Array.from({ length: numLayers }, (_, i) =>
      this.addChild(
        `layers.${i}`,
        new StsnAttentionLayer({ dim: hiddenDim, numHeads: s.numHeads, ffnDim: s.ffnDim, dropout: s.dropout, layerNormEps: s.layerNormEps, norm: s.norm, erla: s.erla, seed: rng.seed() }),
      ),
    );
  }

  config(): Required<StsnTokenInteractionConfig> {
    return { ...this.settings };
  }

  /**
   * H_L^N, H_E^N, H_R^N from the word states: {@link StsnTokenInteraction.interact}
   * over {@link StsnTokenInteraction.project}.
   *
   * @param hidden `[B, T, inputDim]` word states
   * @param mask `[B, T]`, non-zero = a real token
   * @param training enables dropout
   * @returns `[B, T, outputDim]` each; 0 at padding tokens
   */
  apply(hidden: tf.Tensor3D, mask: tf.Tensor2D, training: boolean): StsnViews {
    this.checkInputs(hidden, mask, this.inputDim, 'hidden');
    return tf.tidy(() => this.interact(this.project(hidden), mask, training));
  }

  /**
   * The initial views H_L^0, H_E^0, H_R^0: three linear projections of the word
   * states (layer-normed first with `inputLayerNorm`).
   *
   * @param states `[B, T, inputDim]`
   * @returns `[B, T, outputDim]` each (padding rows not zeroed)
   */
  project(states: tf.Tensor3D): StsnViews {
    return tf.tidy(() => {
      const hidden = this.inputNorm ? (this.inputNorm.apply(states) as tf.Tensor3D) : states; // [B, T, D]
      return {
        label: this.labelProjection.apply(hidden) as tf.Tensor3D, // [B, T, d] H_L^0
        entity: this.entityProjection.apply(hidden) as tf.Tensor3D, // [B, T, d] H_E^0
        relation: this.relationProjection.apply(hidden) as tf.Tensor3D, // [B, T, d] H_R^0
      };
    });
  }

  /**
   * Runs the stacked layers from given initial views (exposed so the data flow
   * between the views can be inspected and tested).
   *
   * @param initial H_L^0, H_E^0, H_R^0, `[B, T, outputDim]` each
   * @param mask `[B, T]`, non-zero = a real token
   * @param training enables dropout
   * @returns H_L^N, H_E^N, H_R^N, `[B, T, outputDim]` each; 0 at padding tokens
   */
  interact(initial: StsnViews, mask: tf.Tensor2D, training: boolean): StsnViews {
    for (const view of [initial.label, initial.entity, initial.relation]) this.checkInputs(view, mask, this.outputDim, 'a view');
    return tf.tidy(() => {
      let views = initial;
      for (const layer of this.layers) views = layer.apply(views, mask, training); // [B, T, d] each
      return {
        label: zeroMaskedRows(views.label, mask), // [B, T, d]
        entity: zeroMaskedRows(views.entity, mask), // [B, T, d]
        relation: zeroMaskedRows(views.relation, mask), // [B, T, d]
      };
    });
  }

  private checkInputs(x: tf.Tensor3D, mask: tf.Tensor2D, dim: number, what: string): void {
    if (x.rank !== 3 || x.shape[2] !== dim) throw new Error(`${this.name}: ${what} must be [B, T, ${dim}], got ${shapeOf(x)}`);
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new Error(`${this.name}: mask must be [B=${x.shape[0]}, T=${x.shape[1]}], got ${shapeOf(mask)}`);
    }
  }
}
