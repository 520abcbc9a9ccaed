import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { Dense, Embedding, GatedFusion, dropout, maskedMaxPool, pairGather, zeroMaskedRows } from '@spanrel/tensor-core';
import { checkBoolean, checkNonNegativeInt, checkPositiveInt, checkPositiveNumber, checkRate } from '@spanrel/tensor-core';
import { BaseRelationHead } from '../base-relation-head.js';
import { decodeSoftmax } from '../decode-relations.js';
import type { PairBatch } from '../pair-batch.js';
import type { RelationHeadBaseConfig, RelationPrediction } from '../relation-head.js';
import { combinePhaseLogits } from '@spanrel/span-heads';
import { pairDistance } from './pair-distance.js';
import { typeDistanceIds } from './type-distance-ids.js';

/** Config of {@link TwoPhaseRelationHead}. */
export interface TwoPhaseRelationHeadConfig extends RelationHeadBaseConfig {
  /** |Ω|, the number of entity types (`none` excluded): sizes the type x type x distance table. */
  numEntityTypes: number;
  /** true: phase one (relation / not relation) + phase two (type); false: one softmax over none + types (Table 7 `w/o Two-Phase`). Default true. */
  twoPhase?: boolean;
  /** true: gated fusion (Eq. 5); false: concatenation (Table 7 `w/o gated`). Default true. */
  gated?: boolean;
  /**
   * true: in the phase-one fusion `R_rb`, each input (e1, e2, context, distance)
   * gets its own linear map to `spanDim` before the gates (`GatedFusion`
   * `projectAll`), which keeps the pair's order (see the class comment); false:
   * the paper's raw inputs. Default true. Unused with `gated: false`.
   */
  projectInputs?: boolean;
  /** Distance embedding `D_rb` in phase one (binary global features). Only used with `twoPhase`. Default true; false = Table 7 `w/o Bi-Features`. */
  biFeatures?: boolean;
  /** Type x type x distance embedding `C_r` before the type classifier (multi-class global features). Default true; false = Table 7 `w/o Multi-Features`. */
  multiFeatures?: boolean;
  /** Largest distance kept apart; larger ones share its row (Δ = {0, ..., 10}, section 4.2). Default 10. */
  maxDistance?: number;
  /** Size of the distance and type x type x distance embeddings. Default `spanDim` (the paper's `∈ R^d`). */
  featureDim?: number;
  /** A pair passes phase one when `σ(z_1 - z_0) > threshold`. Default 0.5 (the paper's argmax). */
  threshold?: number;
  /** Dropout on the representations before the linear classifiers, while training. Default 0.1 (not given in the paper; SpERT's value). */
  dropout?: number;
  /** Std of the normal initialiser of the embeddings, classifier kernels and gates (biases start at 0). Default 0.02. */
  initStd?: number;
}

/** Logits of the two phases, for every pair. */
export interface RelationPhaseLogits {
  /** `[B, P, 2]`: (not-relation, relation), Eq. 10a; each a sigmoid logit (Eq. 10b). 0 for padding pairs. */
  binary: tf.Tensor3D;
  /** `[B, P, numTypes]`: the relation types, no none (Eq. 14a; softmax them, Eq. 14b). Meaningful for pairs that pass phase one. */
  types: tf.Tensor3D;
}

const OWN_FIELDS = ['numEntityTypes', 'twoPhase', 'gated', 'projectInputs', 'biFeatures', 'multiFeatures', 'maxDistance', 'featureDim', 'threshold', 'dropout', 'initStd'] as const;

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * The relation classifiers of the two-phase span model, over ordered pairs of
 * entity representations `E'_e` (the two-phase span head's output):
 *
 * - phase one (section 3.2.2): `R_rb = GatedFusion(E'_e1, E'_e2, R_C, D_rb)` —
 *   the two entities, the max-pool of the words between them (Eq. 9; 0 when
 *   none) and the embedding of their distance (binary global features; words
 *   between, clipped to `maxDistance`); then `W3 R_rb + b3 ∈ R^2`, a sigmoid per
 *   class (not-relation, relation), Eq. 10;
 * - phase two (section 3.3.2): `R'_r = GatedFusion(R_rb, C_r)` with `C_r` the
 *   embedding of (type of e1, type of e2, distance) (Eq. 13, multi-class global
 *   features); then `W5 R'_r + b5 ∈ R^|Ψ|`, a softmax over the relation types
 *   only, Eq. 14. The entity types come from `PairBatch.spanLabels` (entity
 *   classes, 0 = none): gold types in training, predicted ones at inference.
 *
 * {@link TwoPhaseRelationHead.scorePhases} gives both phases (for the losses and
 * `relationPhaseOneMask`); `score` folds them into `none` + types logits whose
 * argmax is the two-phase decision (`combinePhaseLogits`), so
 * `outputDim = numTypes + 1` and `predict` is `decodeSoftmax`.
 *
 * Table 7 ablations: `twoPhase: false` — one linear layer over
 * `GatedFusion(GatedFusion(E'_e1, E'_e2, R_C), C_r)` to `none` + types (no
 * distance embedding: the paper keeps only the multi-class features);
 * `biFeatures: false` — no `D_rb`; `multiFeatures: false` — no `C_r` (phase two
 * reads `R_rb`); `gated: false` — concatenation instead of each fusion.
 * An input of another size than `spanDim` (the context when `contextDim !==
 * spanDim`, the features when `featureDim !== spanDim`) is projected to it
 * inside the fusion.
 *
 * `projectInputs` (default true, not in the paper): Eq. 5's gated sum with one
 * gate vector `W1` shared by all inputs is symmetric in e1 and e2 — swapping
 * them gives the same `R_rb`, so phase one scores `<e1, e2>` and `<e2, e1>`
 * alike, and SpERT's sampling labels the reverse of a gold relation as a
 * negative: phase one gets contradicting targets and stays below 0.5 for both
 * (phase two only sees the order through the type x type row). Mapping each
 * input by its own linear layer first (`Σ α_o P_o E_o`) gives e1 and e2
 * distinct roles; Eq. 5 is unchanged on the mapped inputs.
 *
 * Parameters (by flag): `distance.weight` `[maxDistance + 1, featureDim]`,
 * `relationFusion.projections.<o>.*` (one per input with `projectInputs`),
 * `typeDistance.weight` `[(numEntityTypes + 1)² (maxDistance + 1), featureDim]`,
 * `relationFusion.*`, `featureFusion.*`, `binary.*` + `types.*` or `single.*`.
 * Registered as `"two-phase-relation-head.v1"`.
 *
 * ```ts
 * const head = new TwoPhaseRelationHead({ spanDim: 768, contextDim: 768, numTypes: 5, numEntityTypes: 4 });
 * const pairs = allPairs(kept.spans, kept.mask, T, { spanLabels: keptClasses }); // predicted classes at inference
 * const { binary, types } = head.scorePhases(enc, kept.reps, pairs, true);        // [B, P, 2], [B, P, 5]
 * const relations = head.predict(head.score(enc, kept.reps, pairs, false), pairs);
 * ```
 */
export class TwoPhaseRelationHead extends BaseRelationHead {
  static readonly kind = 'two-phase-relation-head.v1';
  readonly name = TwoPhaseRelationHead.kind;
  readonly outputDim: number;
  private readonly own: Required<Omit<TwoPhaseRelationHeadConfig, keyof RelationHeadBaseConfig>>;
  private readonly distanceTable: Embedding | null;
  private readonly typeDistanceTable: Embedding | null;
  private readonly relationFusion: GatedFusion;
  private readonly featureFusion: GatedFusion | null;
  private readonly binary: Dense | null;
  private readonly types: Dense | null;
  private readonly single: Dense | null;

  constructor(config: TwoPhaseRelationHeadConfig) {
    super(TwoPhaseRelationHead.kind, config, OWN_FIELDS);
    const kind = TwoPhaseRelationHead.kind;
    const threshold = config.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold < 1)) {
      throw new Error(`${kind}: config.threshold must be a number in (0, 1), got ${JSON.stringify(threshold)}`);
    }
    this.own = {
      numEntityTypes: checkPositiveInt(kind, 'numEntityTypes', config.numEntityTypes),
      twoPhase: checkBoolean(kind, 'twoPhase', config.twoPhase ?? true),
      gated: checkBoolean(kind, 'gated', config.gated ?? true),
      projectInputs: checkBoolean(kind, 'projectInputs', config.projectInputs ?? true),
      biFeatures: checkBoolean(kind, 'biFeatures', config.biFeatures ?? true),
      multiFeatures: checkBoolean(kind, 'multiFeatures', config.multiFeatures ?? true),
      maxDistance: checkNonNegativeInt(kind, 'maxDistance', config.maxDistance ?? 10),
      featureDim: checkPositiveInt(kind, 'featureDim', config.featureDim ?? this.inputDim),
      threshold,
      dropout: checkRate(kind, 'dropout', config.dropout ?? 0.1),
      initStd: checkPositiveNumber(kind, 'initStd', config.initStd ?? 0.02),
    };
    const o = this.own;
    const numDistances = o.maxDistance + 1;
    const seed = () => this.initRng.seed();
    const table = (numEmbeddings: number, s: number) => new Embedding({ numEmbeddings, dim: o.featureDim, init: 'normal', initStd: o.initStd, seed: s });
    // Seeds are drawn in a fixed order whatever the flags, so one flag does not change the others' initial weights.
    const seeds = { distance: seed(), typeDistance: seed(), relationFusion: seed(), featureFusion: seed(), binary: seed(), types: seed(), single: seed() };
    const useDistance = o.twoPhase && o.biFeatures;
    this.distanceTable = useDistance ? this.addChild('distance', table(numDistances, seeds.distance)) : null;
    this.typeDistanceTable = o.multiFeatures ? this.addChild('typeDistance', table((o.numEntityTypes + 1) ** 2 * numDistances, seeds.typeDistance)) : null;
    const fusion = (inputDims: number[], s: number, projectAll = false) => new GatedFusion({ inputDims, dim: inputDims[0], gated: o.gated, projectAll, initStd: o.initStd, seed: s });
    // Paper order E1..E4 = E'_e1, E'_e2, R_C, D_rb (Eq. 5 with δ = 4).
    const relationInputs = [this.inputDim, this.inputDim, this.contextDim, ...(useDistance ? [o.featureDim] : [])];
    this.relationFusion = this.addChild('relationFusion', fusion(relationInputs, seeds.relationFusion, o.projectInputs));
    this.featureFusion = o.multiFeatures ? this.addChild('featureFusion', fusion([this.relationFusion.outputDim, o.featureDim], seeds.featureFusion)) : null;
    const typedDim = this.featureFusion?.outputDim ?? this.relationFusion.outputDim;
    const linear = (inputDim: number, outputDim: number, s: number) => new Dense({ inputDim, outputDim, kernelInit: 'normal', initStd: o.initStd, seed: s });
    this.binary = o.twoPhase ? this.addChild('binary', linear(this.relationFusion.outputDim, 2, seeds.binary)) : null;
    this.types = o.twoPhase ? this.addChild('types', linear(typedDim, this.numTypes, seeds.types)) : null;
    this.single = o.twoPhase ? null : this.addChild('single', linear(typedDim, this.numTypes + 1, seeds.single));
    this.outputDim = this.numTypes + 1;
  }

  config(): Required<TwoPhaseRelationHeadConfig> {
    return { ...this.baseConfig(), ...this.own };
  }

  /**
   * Both phases for every pair (the two-phase mode only).
   *
   * @param enc encoder output, `hidden [B, T, contextDim]`
   * @param spanReps `[B, K, spanDim]`, the spans the pairs index
   * @param pairs the candidates; `spans` `[B, K, 2]` for the distances, `spanLabels` `[B, K]` for the types (with `multiFeatures`)
   */
  scorePhases(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): RelationPhaseLogits {
    if (!this.own.twoPhase) throw new Error(`${this.name}: scorePhases needs config.twoPhase = true; this is the single-phase ablation, use score`);
    this.checkFeatureInputs(spanReps, pairs);
    const numTypes = this.numTypes; // R
    return tf.tidy(() => {
      // The base checks the inputs, chunks, and zeroes padding pairs; each chunk gives [binary; types].
      const raw = super.score(enc, spanReps, pairs, training); // [B, P, 2 + R]
      const [batchSize, numPairs] = raw.shape; // B, P
      if (numPairs === 0) return { binary: tf.zeros([batchSize, 0, 2]) as tf.Tensor3D, types: tf.zeros([batchSize, 0, numTypes]) as tf.Tensor3D };
      const binary = tf.slice(raw, [0, 0, 0], [-1, -1, 2]) as tf.Tensor3D; // [B, P, 2]
      const types = tf.slice(raw, [0, 0, 2], [-1, -1, numTypes]) as tf.Tensor3D; // [B, P, R]
      return { binary, types };
    });
  }

  /**
   * @returns `[B, P, numTypes + 1]`, class 0 = none: the folded two-phase logits (or the
   *   single-phase softmax logits); exactly 0 for padding pairs
   */
  override score(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    if (!this.own.twoPhase) {
      this.checkFeatureInputs(spanReps, pairs);
      return super.score(enc, spanReps, pairs, training); // [B, P, R + 1]
    }
    return tf.tidy(() => {
      const { binary, types } = this.scorePhases(enc, spanReps, pairs, training); // [B, P, 2], [B, P, R]
      return zeroMaskedRows(combinePhaseLogits(binary, types, this.own.threshold) as tf.Tensor3D, pairs.pairMask); // [B, P, R + 1]
    });
  }

  /** The argmax over none + types of {@link TwoPhaseRelationHead.score}'s logits: one type per pair at most. */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
    return decodeSoftmax(logits, pairs);
  }

  /**
   * One chunk: `[B, p, 2 + R]` (phase-one logits, then phase-two logits) in the
   * two-phase mode, `[B, p, R + 1]` in the single-phase one.
   */
  protected scoreChunk(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    const { maxDistance, numEntityTypes, dropout: rate } = this.own;
    const { head, tail } = pairGather(spanReps, pairs.pairs); // [B, p, Ds] each: E'_e1, E'_e2
    const context = maskedMaxPool(enc.hidden, pairs.contextMask); // [B, p, D] R_C (Eq. 9); no word between -> 0
    const needDistance = this.distanceTable !== null || this.typeDistanceTable !== null;
    const distance = needDistance ? pairDistance(pairs.spans, pairs.pairs, maxDistance) : null; // [B, p] in [0, maxDistance]
    const parts: tf.Tensor[] = [head, tail, context];
    if (this.distanceTable) parts.push(this.distanceTable.apply(distance!)); // [B, p, featureDim] D_rb
    const relation = this.relationFusion.apply(parts, training); // [B, p, F1] R_rb
    let typed = relation; // [B, p, F2] R'_r
    if (this.featureFusion && this.typeDistanceTable) {
      const ids = typeDistanceIds(pairs.spanLabels!, pairs.pairs, distance!, numEntityTypes, maxDistance); // [B, p]
      typed = this.featureFusion.apply([relation, this.typeDistanceTable.apply(ids)], training); // [B, p, F2] (Eq. 5, δ = 2)
    }
    if (this.single) return this.single.apply(dropout(typed, rate, this.dropoutRng, training)) as tf.Tensor3D; // [B, p, R + 1]
    const binary = this.binary!.apply(dropout(relation, rate, this.dropoutRng, training)); // [B, p, 2] Eq. 10a
    const types = this.types!.apply(dropout(typed, rate, this.dropoutRng, training)); // [B, p, R] Eq. 14a
    return tf.concat([binary, types], 2) as tf.Tensor3D; // [B, p, 2 + R]
  }

  /** `pairs.spans` (for distances) and `pairs.spanLabels` (for types): shapes, dtypes, and class range (one scalar read-back). */
  private checkFeatureInputs(spanReps: tf.Tensor3D, pairs: PairBatch): void {
    if (spanReps.rank !== 3) return; // the base's check reports it
    const [batchSize, numSpans] = spanReps.shape; // B, K
    if (this.distanceTable || this.typeDistanceTable) {
      const { spans } = pairs;
      if (!spans || spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[0] !== batchSize || spans.shape[1] !== numSpans || spans.shape[2] !== 2) {
        throw new Error(`${this.name}: pairs.spans must be int32 [B=${batchSize}, K=${numSpans}, 2] (the bounds of the spans spanReps holds, for distances), got ${spans ? `${spans.dtype} ${shapeOf(spans)}` : 'none'}`);
      }
    }
    if (!this.typeDistanceTable) return;
    const labels = pairs.spanLabels;
    if (!labels) {
      throw new Error(`${this.name}: pairs.spanLabels is required with config.multiFeatures = true (entity classes of the K spans: gold in training, predicted at inference)`);
    }
    if (labels.dtype !== 'int32' || labels.rank !== 2 || labels.shape[0] !== batchSize || labels.shape[1] !== numSpans) {
      throw new Error(`${this.name}: pairs.spanLabels must be int32 [B=${batchSize}, K=${numSpans}], got ${labels.dtype} ${shapeOf(labels)}`);
    }
    const numEntityTypes = this.own.numEntityTypes;
    const outOfRange = tf.tidy(() => tf.any(tf.logicalOr(tf.less(labels, 0), tf.greater(labels, numEntityTypes))).dataSync()[0]);
    if (outOfRange) throw new Error(`${this.name}: pairs.spanLabels holds a class outside [0, numEntityTypes=${numEntityTypes}] (0 = none)`);
  }
}
