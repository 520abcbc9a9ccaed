import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { GatedFusion, checkBoolean, spanMaxPool, toFloatMask, zeroMaskedRows } from '@spanrel/tensor-core';
import { BaseSpanHead } from '../base-span-head.js';
import type { SpanHeadBaseConfig, SpanPoolInput } from '../span-head.js';

/**
 * Config of {@link TwoPhaseSpanHead}. Defaults of the shared fields: `widthDim`
 * = `inputDim` (the paper's `W_{j+1} ∈ R^d`), `useCls` true, `widthDropout` 0.
 */
export interface TwoPhaseSpanHeadConfig extends SpanHeadBaseConfig {
  /** true: fuse the parts with the gated mechanism (Eq. 5); false: concatenate them (Table 7 `w/o gated`). Default true. */
  gated?: boolean;
  /**
   * true: each part gets its own linear map to `inputDim` before the gates
   * (`GatedFusion` `projectAll`); false: only a part of another size does.
   * Default true (see the class comment). Unused with `gated: false`.
   */
  projectInputs?: boolean;
}

const OWN_FIELDS = ['gated', 'projectInputs'] as const;

/**
 * The span representation of the two-phase span model (section 3.2.1):
 * `E'_S = GatedFusion(x̂_S, x_0, W_{j+1})` — the max-pool of the span's word
 * states (Eq. 4), the `[CLS]` vector `x_0` and the width embedding, fused by
 * Eq. 5 (δ = 3). A width embedding of another size than `inputDim` is first
 * projected to `inputDim` (see `GatedFusion`). With `gated: false` the three are
 * concatenated instead, `[x̂_S; x_0; W]` (the `w/o gated` ablation).
 *
 * `projectInputs` (default true) first maps each part by its own linear layer
 * (Eq. 5 then fuses `P_o E_o`). The paper fuses the raw parts; with the BiLSTM
 * encoder that trains slowly: `x̂_S` and `x_0` (the sentence max-pool) live in
 * the same coordinates, so their convex sum blurs the span into its sentence
 * and the classifiers cannot weigh the parts apart, as SpERT's concatenation
 * lets them (on the demo corpus, 200 sentences, NER after two epochs: 10.6
 * without, about 70 with the loss normalisation of the two-phase strategy).
 *
 * The same `E'_e` represents an entity in the relation head (section 3.2.2), so
 * `relationDim === outputDim`: `inputDim` (gated) or `2 inputDim + widthDim`
 * (concatenated; one `inputDim` fewer with `useCls: false`). Padding spans get
 * the 0 vector. Classifying the representation is the job of
 * `TwoPhaseEntityClassifier` (phase one: entity / not entity; phase two: type).
 *
 * Parameters: `width.weight` `[numWidths, widthDim]`, `fusion.gate.kernel`
 * `[inputDim, 1]`, `fusion.projections.<o>.*` `[size of part o, inputDim]` for
 * every part (`projectInputs`; else only when `widthDim !== inputDim`, for the width).
 * Registered as `"two-phase-span-head.v1"`.
 *
 * ```ts
 * const head = new TwoPhaseSpanHead({ inputDim: 768 });   // width 768, gated
 * const reps = head.embed(enc, spans, spanMask, true);      // [B, S, 768]
 * ```
 */
export class TwoPhaseSpanHead extends BaseSpanHead {
  static readonly kind = 'two-phase-span-head.v1';
  readonly name = TwoPhaseSpanHead.kind;
  private readonly gated: boolean;
  private readonly projectInputs: boolean;
  private readonly fusion: GatedFusion;

  constructor(config: TwoPhaseSpanHeadConfig) {
    const inputDim = (config as Partial<TwoPhaseSpanHeadConfig> | null)?.inputDim;
    // widthDim defaults to inputDim; a bad inputDim is reported by the base's check.
    super(TwoPhaseSpanHead.kind, config, { widthDim: typeof inputDim === 'number' && inputDim > 0 ? inputDim : 0, widthDropout: 0, useCls: true }, OWN_FIELDS);
    this.gated = checkBoolean(TwoPhaseSpanHead.kind, 'gated', config.gated ?? true);
    this.projectInputs = checkBoolean(TwoPhaseSpanHead.kind, 'projectInputs', config.projectInputs ?? true);
    const { widthDim, useCls } = this.base;
    // Paper order E1, E2, E3 = max-pool, [CLS], width (Eq. 5, δ = 3), leaving out what is switched off.
    const inputDims = [this.inputDim, ...(useCls ? [this.inputDim] : []), ...(widthDim > 0 ? [widthDim] : [])];
    this.fusion = this.addChild('fusion', new GatedFusion({ inputDims, dim: this.inputDim, gated: this.gated, projectAll: this.projectInputs, initStd: this.base.initStd, seed: this.initRng.seed() }));
  }

  get poolDim(): number {
    return this.inputDim;
  }

  override get outputDim(): number {
    return this.fusion.outputDim;
  }

  override get relationDim(): number {
    return this.fusion.outputDim;
  }

  config(): Required<TwoPhaseSpanHeadConfig> {
    return { ...this.baseConfig(), gated: this.gated, projectInputs: this.projectInputs };
  }

  /**
   * @returns `[B, S, outputDim]`: the fused `E'_S` of every span; padding spans get 0
   */
  override embed(enc: EncoderOutput, spans: tf.Tensor3D, spanMask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const dim = this.inputDim; // D
    const { widthDim, useCls } = this.base;
    return tf.tidy(() => {
      // The base checks the inputs and lays out [max-pool; width; cls] (padding rows 0).
      const parts = super.embed(enc, spans, spanMask, training); // [B, S, D + widthDim (+ D)]
      const pooled = tf.slice(parts, [0, 0, 0], [-1, -1, dim]); // [B, S, D] x̂_S
      const reps: tf.Tensor[] = [pooled];
      if (useCls) reps.push(tf.slice(parts, [0, 0, dim + widthDim], [-1, -1, dim])); // [B, S, D] x_0
      if (widthDim > 0) reps.push(tf.slice(parts, [0, 0, dim], [-1, -1, widthDim])); // [B, S, widthDim] W_{j+1}
      const fused = this.fusion.apply(reps, training) as tf.Tensor3D; // [B, S, outputDim]
      return zeroMaskedRows(fused, toFloatMask(spanMask)); // [B, S, outputDim] (a projection bias must not leak into padding)
    });
  }

  protected pool({ enc, spans, maxWidth }: SpanPoolInput): tf.Tensor3D {
    return spanMaxPool(enc.hidden, spans, maxWidth); // [B, S, D] Eq. 4
  }
}
