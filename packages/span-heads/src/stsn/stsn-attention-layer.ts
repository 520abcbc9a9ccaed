import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, Rng } from '@spanrel/tensor-core';
import { checkBoolean, checkConfigObject } from '@spanrel/tensor-core';
import { StsnAttentionUnit, unitSettings } from './stsn-attention-unit.js';

/** The three token views STSN learns (section 3.2.1), all `[B, T, d]`. (A type alias, so `tf.tidy` may return it.) */
export type StsnViews = {
  /** H_L: label view (token BIO labels; the tagger decodes it). */
  label: tf.Tensor3D;
  /** H_E: entity view (span-based NER). */
  entity: tf.Tensor3D;
  /** H_R: relation view (span-based RE). */
  relation: tf.Tensor3D;
};

/** Config of {@link StsnAttentionLayer}. */
export interface StsnAttentionLayerConfig {
  /** d, the size of the three views. */
  dim: number;
  /** Heads of each unit's multi-head attention. Default 8. */
  numHeads?: number;
  /** Inner size of each unit's FFN. Default `dim`. */
  ffnDim?: number;
  /** Dropout inside the units (see `StsnAttentionUnitConfig.dropout`). Default 0.1. */
  dropout?: number;
  /** Epsilon of the units' layer norms. Default 1e-5. */
  layerNormEps?: number;
  /** Post-LN (default, the paper's) or pre-LN units (see `StsnAttentionUnitConfig.norm`). */
  norm?: 'post' | 'pre';
  /**
   * true (default): E&R-L-A attends from H_L over `H_C = [H_E; H_R] W_C + b_C`.
   * false: the "-E&R-L-A" ablation (Table 4): H_L attends over itself, so no task
   * information flows back into H_L (and there is no `combine` layer).
   */
  erla?: boolean;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

const FIELDS = ['dim', 'numHeads', 'ffnDim', 'dropout', 'layerNormEps', 'norm', 'erla', 'seed'] as const;

/**
 * One of STSN's stacked attention layers (section 3.2.1, "[Layer]^1"):
 *
 * ```
 * H_C   = [H_E; H_R] W_C + b_C                    // combine (2d -> d)
 * H_L'  = E&R-L-A(query H_L, key/value H_C)       // task information -> labels
 * H_E'  = L-E-A  (query H_E, key/value H_L')      // labels -> entity view
 * H_R'  = L-R-A  (query H_R, key/value H_L')      // labels -> relation view
 * ```
 *
 * L-E-A and L-R-A read the *new* label view, which is how NER and RE exchange
 * information through E&R-L-A. Every attention masks padding keys. Parameters
 * `combine.*` (when `erla`), `erla.*`, `lea.*`, `lra.*` (each a
 * {@link StsnAttentionUnit}). Registered as `"stsn-attention-layer.v1"`.
 */
export class StsnAttentionLayer extends BaseModule {
  static readonly kind = 'stsn-attention-layer.v1';
  readonly name = StsnAttentionLayer.kind;
  readonly dim: number;
  private readonly settings: Required<StsnAttentionLayerConfig>;
  private readonly combine: Dense | null;
  private readonly erlaUnit: StsnAttentionUnit;
  private readonly leaUnit: StsnAttentionUnit;
  private readonly lraUnit: StsnAttentionUnit;

  constructor(config: StsnAttentionLayerConfig) {
    super();
    const kind = StsnAttentionLayer.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    this.settings = { ...unitSettings(kind, c), erla: checkBoolean(kind, 'erla', c.erla ?? true) };
    const dim = this.settings.dim;
    const s = this.settings;
    this.dim = dim;
    const rng = new Rng(s.seed);
    const combineSeed = rng.seed(); // drawn even without E&R-L-A, so the units' seeds do not depend on the flag
    this.combine = s.erla ? this.addChild('combine', new Dense({ inputDim: 2 * dim, outputDim: dim, seed: combineSeed })) : null;
    const unit = () => new StsnAttentionUnit({ dim, numHeads: s.numHeads, ffnDim: s.ffnDim, dropout: s.dropout, layerNormEps: s.layerNormEps, norm: s.norm, seed: rng.seed() });
    this.erlaUnit = this.addChild('erla', unit());
    this.leaUnit = this.addChild('lea', unit());
    this.lraUnit = this.addChild('lra', unit());
  }

  config(): Required<StsnAttentionLayerConfig> {
    return { ...this.settings };
  }

  /**
   * @param views H_L, H_E, H_R of the previous layer, `[B, T, dim]` each
   * @param mask `[B, T]`, non-zero = a real token
   * @param training enables dropout
   * @returns the layer's new views, `[B, T, dim]` each (padding rows are not zeroed here)
   */
  apply(views: StsnViews, mask: tf.Tensor2D, training: boolean): StsnViews {
    return tf.tidy(() => {
      const labelKeys = this.combine
        ? (this.combine.apply(tf.concat([views.entity, views.relation], 2)) as tf.Tensor3D) // [B, T, d] H_C
        : views.label; // -E&R-L-A: H_L is query, key and value
      const label = this.erlaUnit.apply(views.label, labelKeys, mask, training); // [B, T, d]
      const entity = this.leaUnit.apply(views.entity, label, mask, training); // [B, T, d]
      const relation = this.lraUnit.apply(views.relation, label, mask, training); // [B, T, d]
      return { label, entity, relation };
    });
  }
}
