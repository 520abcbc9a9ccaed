import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, Rng, dropout } from '@spanrel/tensor-core';
import { checkBoolean, checkConfigObject, checkPositiveInt, checkPositiveNumber, checkRate, checkSeed } from '@spanrel/tensor-core';
import { checkReps, type EntityClassifier, type EntityClassifierBaseConfig } from '../entity-classifier.js';
import { combinePhaseLogits } from './combine-phase-logits.js';

/** Config of {@link TwoPhaseEntityClassifier}. */
export interface TwoPhaseEntityClassifierConfig extends EntityClassifierBaseConfig {
  /** true: phase one (entity / not entity) + phase two (type); false: one softmax over none + types (Table 7 `w/o Two-Phase`). Default true. */
  twoPhase?: boolean;
  /** A span passes phase one when `σ(z_1 - z_0) > threshold`. Default 0.5 (the paper's argmax). */
  threshold?: number;
  /** Dropout on the span representation before the linear layers, while training. Default 0.1 (not given in the paper; SpERT's value). */
  dropout?: number;
  /** Std of the normal initialiser of the kernels (biases start at 0). Default 0.02. */
  initStd?: number;
}

/** Logits of the two phases, for every span. */
export interface EntityPhaseLogits {
  /** `[B, S, 2]`: (not-entity, entity), Eq. 6a; each a sigmoid logit (Eq. 6b). */
  binary: tf.Tensor3D;
  /** `[B, S, numTypes]`: the entity types, no none (Eq. 12a; softmax them, Eq. 12b). Meaningful for spans that pass phase one. */
  types: tf.Tensor3D;
}

const FIELDS = ['inputDim', 'numTypes', 'seed', 'twoPhase', 'threshold', 'dropout', 'initStd'] as const;

/**
 * The entity classifiers of the two-phase span model, over the span head's `E'_S`:
 *
 * - phase one (section 3.2.1, Eq. 6): `W2 E'_S + b2 ∈ R^2`, a sigmoid per class
 *   (not-entity, entity); a span is a coarse-grained entity when the entity
 *   class scores higher;
 * - phase two (section 3.3.1, Eq. 12): `W4 E'_e + b4 ∈ R^|Ω|`, a softmax over
 *   the entity types only (no none), read for the spans that pass phase one.
 *
 * {@link TwoPhaseEntityClassifier.classifyPhases} gives both (for the losses and
 * {@link entityPhaseOneMask}); {@link TwoPhaseEntityClassifier.classify} folds
 * them into `none` + types logits whose argmax is the two-phase decision (see
 * `combinePhaseLogits`), so the usual `filterSpans` decodes it.
 *
 * `twoPhase: false` (Table 7 `w/o Two-Phase`): one linear layer to `none` +
 * types, as SpERT; `classify` returns its logits, `classifyPhases` throws.
 *
 * Parameters: `binary.*` `[inputDim, 2]` and `types.*` `[inputDim, numTypes]`, or
 * `single.*` `[inputDim, numTypes + 1]`. Registered as `"two-phase-entity-classifier.v1"`.
 *
 * ```ts
 * const classifier = new TwoPhaseEntityClassifier({ inputDim: head.outputDim, numTypes: 4 });
 * const { binary, types } = classifier.classifyPhases(reps, true); // [B, S, 2], [B, S, 4]
 * const logits = classifier.classify(reps, false);                 // [B, S, 5], class 0 = none
 * ```
 */
export class TwoPhaseEntityClassifier extends BaseModule implements EntityClassifier {
  static readonly kind = 'two-phase-entity-classifier.v1';
  readonly name = TwoPhaseEntityClassifier.kind;
  readonly inputDim: number;
  readonly numTypes: number;
  readonly outputDim: number;
  private readonly settings: Required<TwoPhaseEntityClassifierConfig>;
  private readonly binary: Dense | null;
  private readonly types: Dense | null;
  private readonly single: Dense | null;
  private readonly dropoutRng: Rng;

  constructor(config: TwoPhaseEntityClassifierConfig) {
    super();
    const kind = TwoPhaseEntityClassifier.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    const threshold = c.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
      throw new Error(`${kind}: config.threshold must be a number in (0, 1), got ${JSON.stringify(threshold)}`);
    }
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', c.inputDim),
      numTypes: checkPositiveInt(kind, 'numTypes', c.numTypes),
      seed: checkSeed(kind, c.seed ?? 0),
      twoPhase: checkBoolean(kind, 'twoPhase', c.twoPhase ?? true),
      threshold,
      dropout: checkRate(kind, 'dropout', c.dropout ?? 0.1),
      initStd: checkPositiveNumber(kind, 'initStd', c.initStd ?? 0.02),
    };
    const s = this.settings;
    this.inputDim = s.inputDim;
    this.numTypes = s.numTypes;
    this.outputDim = s.numTypes + 1;
    const rng = new Rng(s.seed);
    const linear = (outputDim: number) => new Dense({ inputDim: s.inputDim, outputDim, kernelInit: 'normal', initStd: s.initStd, seed: rng.seed() });
    this.binary = s.twoPhase ? this.addChild('binary', linear(2)) : null;
    this.types = s.twoPhase ? this.addChild('types', linear(s.numTypes)) : null;
    this.single = s.twoPhase ? null : this.addChild('single', linear(s.numTypes + 1));
    this.dropoutRng = new Rng(rng.seed());
  }

  /** Whether the classifier has two phases (false: the `w/o Two-Phase` ablation). */
  get twoPhase(): boolean {
    return this.settings.twoPhase;
  }

  config(): Required<TwoPhaseEntityClassifierConfig> {
    return { ...this.settings };
  }

  /**
   * Both phases for every span (one dropout mask shared by both).
   *
   * @param spanReps `[B, S, inputDim]`
   */
  classifyPhases(spanReps: tf.Tensor3D, training: boolean): EntityPhaseLogits {
    checkReps(this.name, spanReps, this.inputDim);
    if (!this.binary || !this.types) throw new Error(`${this.name}: classifyPhases needs config.twoPhase = true; this is the single-phase ablation, use classify`);
    const [binaryLayer, typesLayer] = [this.binary, this.types];
    return tf.tidy(() => {
      const x = dropout(spanReps, this.settings.dropout, this.dropoutRng, training); // [B, S, inputDim]
      return { binary: binaryLayer.apply(x) as tf.Tensor3D, types: typesLayer.apply(x) as tf.Tensor3D }; // [B, S, 2], [B, S, T]
    });
  }

  /**
   * @param spanReps `[B, S, inputDim]`
   * @returns `[B, S, numTypes + 1]`, class 0 = none: the folded two-phase logits, or the single-phase softmax logits
   */
  classify(spanReps: tf.Tensor3D, training: boolean): tf.Tensor3D {
    checkReps(this.name, spanReps, this.inputDim);
    if (this.single) {
      const single = this.single;
      return tf.tidy(() => single.apply(dropout(spanReps, this.settings.dropout, this.dropoutRng, training)) as tf.Tensor3D); // [B, S, T + 1]
    }
    return tf.tidy(() => {
      const { binary, types } = this.classifyPhases(spanReps, training); // [B, S, 2], [B, S, T]
      return combinePhaseLogits(binary, types, this.settings.threshold) as tf.Tensor3D; // [B, S, T + 1]
    });
  }
}
