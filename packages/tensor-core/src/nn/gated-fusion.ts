import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';
import { BaseModule } from '../module/module.js';
import { checkBoolean, checkConfigObject, checkDims, checkLastDim, checkPositiveInt, checkPositiveNumber, checkSeed } from './config-checks.js';
import { Dense } from './dense.js';

/** Config of {@link GatedFusion}. */
export interface GatedFusionConfig {
  /** Size of each input representation, in the order `apply` receives them (δ = `inputDims.length` >= 1). */
  inputDims: number[];
  /** d, the size every input is brought to and the fused output's size (gated mode). Default `inputDims[0]`. */
  dim?: number;
  /** true: the gated sum of Eq. 5; false: plain concatenation (the paper's `w/o gated` ablation). Default true. */
  gated?: boolean;
  /**
   * true: every input gets its own linear map to d before the gates, not only
   * those whose size is not d (see the class comment). Default false.
   */
  projectAll?: boolean;
  /** Std of the normal initialiser of the gate vector W1. Default 0.02. */
  initStd?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

const FIELDS = ['inputDims', 'dim', 'gated', 'projectAll', 'initStd', 'seed'] as const;

/**
 * The gated mechanism of the two-phase span model (Eq. 5): each of δ
 * representations `E_o` gets a scalar gate `v_o = W1 · E_o + b1` (one vector
 * `W1 ∈ R^d` shared by all of them), the gates go through a softmax over o,
 * `α = softmax(v)`, and the fused representation is `Σ_o α_o E_o ∈ R^d`.
 * The span head fuses (max-pool, `[CLS]`, width embedding), the relation head
 * (e1, e2, context, distance embedding) and then (relation, type x type x
 * distance embedding).
 *
 * - `b1` is one scalar added to every gate, so it cancels in the softmax: it is
 *   left out (the output is the same for every value of it).
 * - An input whose size is not d is first mapped to d by its own linear layer
 *   (`projections.<o>`, with bias), so sizes that differ (a 25-dim width
 *   embedding next to 768-dim states) can still be fused; the paper has every
 *   input in R^d and needs none.
 * - `projectAll: true` gives every input its own linear map to d, so the sum
 *   is `Σ_o α_o P_o E_o`. With one W1 and no maps, Eq. 5 is symmetric in its
 *   inputs (swap two of the same size and the output is the same), and inputs
 *   in the same coordinates cannot be weighed apart by what reads the sum; the
 *   two-phase heads turn it on (e.g. so a relation keeps which entity is e1).
 * - `gated: false` concatenates the raw inputs instead (no parameters; output
 *   size `Σ inputDims`): the `w/o gated` ablation of Table 7.
 *
 * Defined results: all-zero inputs (padding rows) without projections fuse to
 * the 0 vector (equal gates, weighted sum of zeros). Parameters: `gate.kernel`
 * `[d, 1]` (W1) and `projections.<o>.kernel` / `.bias` for each projected input.
 * Registered as `"gated-fusion.v1"`.
 *
 * ```ts
 * const fusion = new GatedFusion({ inputDims: [768, 768, 768] });
 * const fused = fusion.apply([pooled, cls, width]); // each [B, S, 768] -> [B, S, 768]
 * ```
 */
export class GatedFusion extends BaseModule {
  static readonly kind = 'gated-fusion.v1';
  readonly name = GatedFusion.kind;
  /** δ, the number of representations fused. */
  readonly numInputs: number;
  /** d (gated) or `Σ inputDims` (concatenation). */
  readonly outputDim: number;
  private readonly settings: Required<GatedFusionConfig>;
  /** W1 as a `[d, 1]` kernel; null when concatenating. */
  private readonly gate: Dense | null;
  /** One linear map to d per input whose size is not d (null where none is needed, and when concatenating). */
  private readonly projections: (Dense | null)[];

  constructor(config: GatedFusionConfig) {
    super();
    const kind = GatedFusion.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    const inputDims = checkDims(kind, 'inputDims', c.inputDims);
    if (inputDims.length === 0) throw new Error(`${kind}: config.inputDims must list at least one representation size`);
    this.settings = {
      inputDims,
      dim: checkPositiveInt(kind, 'dim', c.dim ?? inputDims[0]),
      gated: checkBoolean(kind, 'gated', c.gated ?? true),
      projectAll: checkBoolean(kind, 'projectAll', c.projectAll ?? false),
      initStd: checkPositiveNumber(kind, 'initStd', c.initStd ?? 0.02),
      seed: checkSeed(kind, c.seed ?? 0),
    };
    const s = this.settings;
    this.numInputs = inputDims.length;
    this.outputDim = s.gated ? s.dim : inputDims.reduce((a, b) => a + b, 0);
    const rng = new Rng(s.seed);
    const gateSeed = rng.seed();
    this.gate = s.gated
      ? this.addChild('gate', new Dense({ inputDim: s.dim, outputDim: 1, useBias: false, kernelInit: 'normal', initStd: s.initStd, seed: gateSeed }))
      : null;
    this.projections = inputDims.map((inputDim, o) => {
      const seed = rng.seed(); // drawn for every input, so a projection's weights do not depend on which others exist
      if (!s.gated || (inputDim === s.dim && !s.projectAll)) return null;
      return this.addChild(`projections.${o}`, new Dense({ inputDim, outputDim: s.dim, seed }));
    });
  }

  /** Whether this fuses with gates (true) or concatenates (false). */
  get gated(): boolean {
    return this.settings.gated;
  }

  config(): Required<GatedFusionConfig> {
    return { ...this.settings, inputDims: [...this.settings.inputDims] };
  }

  /**
   * @param reps δ tensors `[..., inputDims[o]]` with the same leading shape
   * @param _training unused (no dropout); kept so every layer has the same call shape
   * @returns `[..., outputDim]`
   */
  apply(reps: tf.Tensor[], _training = false): tf.Tensor {
    this.checkInputs(reps);
    if (!this.settings.gated) return tf.concat(reps, -1); // [..., Σ inputDims]
    return tf.tidy(() => {
      const stacked = this.stack(reps); // [..., δ, d]
      const alpha = this.weightsOf(stacked); // [..., δ]
      return tf.sum(tf.mul(stacked, tf.expandDims(alpha, -1)), -2); // [..., d] Eq. 5c
    });
  }

  /**
   * The gate weights α of Eq. 5b (for inspection: which representation a span or
   * pair leans on). Throws when concatenating.
   *
   * @param reps as for {@link GatedFusion.apply}
   * @returns `[..., δ]`, each row sums to 1
   */
  gateWeights(reps: tf.Tensor[]): tf.Tensor {
    if (!this.settings.gated) throw new Error(`${this.name}: gateWeights needs config.gated = true (this fusion concatenates)`);
    this.checkInputs(reps);
    return tf.tidy(() => this.weightsOf(this.stack(reps))); // [..., δ]
  }

  /** The inputs, each brought to d, stacked on a new second-to-last axis: `[..., δ, d]`. */
  private stack(reps: tf.Tensor[]): tf.Tensor {
    const projected = reps.map((x, o) => this.projections[o]?.apply(x) ?? x); // δ x [..., d]
    return tf.stack(projected, -2); // [..., δ, d]
  }

  /** `softmax_o(W1 · E_o)`: `[..., δ, d]` -> `[..., δ]`. */
  private weightsOf(stacked: tf.Tensor): tf.Tensor {
    const scores = tf.squeeze(this.gate!.apply(stacked), [-1]); // [..., δ] Eq. 5a (b1 cancels)
    return tf.softmax(scores, -1); // [..., δ] Eq. 5b
  }

  private checkInputs(reps: tf.Tensor[]): void {
    const { inputDims } = this.settings;
    if (!Array.isArray(reps) || reps.length !== inputDims.length) {
      throw new Error(`${this.name}: apply expects ${inputDims.length} representations (config.inputDims), got ${Array.isArray(reps) ? reps.length : typeof reps}`);
    }
    const leading = reps[0].shape.slice(0, -1);
    reps.forEach((x, o) => {
      checkLastDim(this.name, `representation ${o}`, x, inputDims[o], `inputDims[${o}]`);
      const own = x.shape.slice(0, -1);
      if (own.length !== leading.length || own.some((size, i) => size !== leading[i])) {
        throw new Error(`${this.name}: representation ${o} has shape [${x.shape.join(', ')}], its leading axes must match representation 0 [${reps[0].shape.join(', ')}]`);
      }
    });
  }
}
