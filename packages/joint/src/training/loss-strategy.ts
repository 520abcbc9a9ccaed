/**
 * Loss strategies: how a training forward turns span representations and pair
 * scores into losses, chosen by the spec's `training.loss` (see `LossSpec`).
 * The forwards (`training-loss.ts`) own encoding, sampling and pairing; a
 * strategy owns only the classifier calls and the loss terms, so a new system
 * adds a strategy here instead of branches in the forwards.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/encoders';
import {
  relationBinaryCrossEntropy,
  relationCrossEntropy,
  relationPhaseOneLoss,
  relationPhaseTwoLoss,
  TwoPhaseRelationHead,
  type PairBatch,
} from '@spanrel/relation-heads';
import {
  combinePhaseLogits,
  entityCrossEntropy,
  entityPhaseOneLoss,
  entityPhaseTwoLoss,
  stsnJointLoss,
  StsnTagger,
  TwoPhaseEntityClassifier,
} from '@spanrel/span-heads';
import type { LossSpec } from '../config/joint-spec.js';
import type { JointModel } from '../model/joint-model.js';
import { reduceLoss, type Reduction } from './loss-reduction.js';

/**
 * How losses are reduced over their samples: `'mean'`, `'sum'`, or a shard's
 * mean over the whole batch's counts (data-parallel training; see `loss-reduction.ts`).
 */
export type { Reduction };

/** The loss of `training.loss` absent: SpERT's and Dixit's plain sum. */
export const DEFAULT_LOSS: LossSpec = { kind: 'weighted-sum', entityWeight: 1, relationWeight: 1 };

/**
 * Relation targets of a pair batch, in the form the model's relation mode reads:
 * multi-hot `[B, P, R]` float32 (`multi-label`) or classes `[B, P]` int32
 * (`softmax`: first type + 1, 0 = no relation).
 */
export type RelationTargets = tf.Tensor;

/** What a strategy gives for the entity samples of a batch. */
export interface EntityLossResult {
  loss: tf.Scalar;
  /** `[B, S, 1 + entity types]`: logits whose argmax is the model's decision (class 0 = none), for span selection. */
  logits: tf.Tensor3D;
}

/** One way of computing the training losses of a joint model (see the file comment). */
export interface LossStrategy {
  readonly spec: LossSpec;
  /** Throws, naming `training.loss`, when the model's components cannot be trained this way. */
  check(model: JointModel): void;
  /**
   * @param reps `[B, S, D']` span representations (training mode)
   * @param labels int32 `[B, S]` gold classes (0 = none)
   * @param spanMask `[B, S]` 1 = a sample
   */
  entityLoss(model: JointModel, reps: tf.Tensor3D, labels: tf.Tensor2D, spanMask: tf.Tensor2D, reduction: Reduction): EntityLossResult;
  /**
   * @param spanReps `[B, K, Dr]` the relation features of the spans the pairs index
   * @param pairs the relation samples, with the spans' gold classes as `spanLabels`
   */
  relationLoss(model: JointModel, enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, targets: RelationTargets, reduction: Reduction): tf.Scalar;
  /**
   * The objective from the task losses; `tagLoss` is STSN's `L_L`, given when
   * the model has a tagger (only the `stsn` strategy trains one).
   */
  combine(entityLoss: tf.Scalar, relationLoss: tf.Scalar, tagLoss?: tf.Scalar): tf.Scalar;
}

/** Entity cross-entropy over `none` + types of `classify`'s logits. */
function singleEntityLoss(model: JointModel, reps: tf.Tensor3D, labels: tf.Tensor2D, spanMask: tf.Tensor2D, reduction: Reduction): EntityLossResult {
  const logits = model.entityClassifier.classify(reps, true); // [B, S, C]
  return { loss: reduceLoss(reduction, 'entitySamples', (r) => entityCrossEntropy(logits, labels, spanMask, r)), logits };
}

/** Relation binary cross-entropy (sigmoid head) or cross-entropy (softmax head) of `score`'s logits. */
function singleRelationLoss(model: JointModel, enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, targets: RelationTargets, reduction: Reduction): tf.Scalar {
  const logits = model.relationHead.score(enc, spanReps, pairs, true); // [B, P, R(+1)]
  return reduceLoss(reduction, 'relationSamples', (r) =>
    model.relationMode === 'multi-label'
      ? relationBinaryCrossEntropy(logits, targets as tf.Tensor3D, pairs.pairMask, r)
      : relationCrossEntropy(logits, targets as tf.Tensor2D, pairs.pairMask, r),
  );
}

/** Throws when the model has an STSN tagger, which only the `stsn` strategy trains. */
function checkNoTagger(model: JointModel, kind: string): void {
  if (model.tagger) throw new Error(`training.loss.kind "${kind}" does not train the model's STSN tagger (${StsnTagger.kind}); use "stsn", or drop tokenInteraction and tagger`);
}

/**
 * `entityWeight L_e + relationWeight L_r` (SpERT, Dixit: 1 and 1; Ji 2020 Eq. 11:
 * 0.4 and 0.6): `L_e` the entity cross-entropy, `L_r` the relation binary
 * cross-entropy of a sigmoid head or the cross-entropy of a softmax head.
 */
export function weightedSumLoss(entityWeight: number, relationWeight: number): LossStrategy {
  return {
    spec: { kind: 'weighted-sum', entityWeight, relationWeight },
    check: (model) => checkNoTagger(model, 'weighted-sum'),
    entityLoss: singleEntityLoss,
    relationLoss: singleRelationLoss,
    combine: (entity, relation) =>
      tf.tidy(() => (entityWeight === 1 && relationWeight === 1 ? tf.add(entity, relation) : tf.add(tf.mul(entity, entityWeight), tf.mul(relation, relationWeight))) as tf.Scalar),
  };
}

/** The two-phase entity classifier, unless it is absent or in its single-phase ablation. */
function phasedClassifier(model: JointModel): TwoPhaseEntityClassifier | null {
  const c = model.entityClassifier;
  return c instanceof TwoPhaseEntityClassifier && c.twoPhase ? c : null;
}

function phasedRelationHead(model: JointModel): TwoPhaseRelationHead | null {
  const h = model.relationHead;
  return h instanceof TwoPhaseRelationHead && h.config().twoPhase ? h : null;
}

/**
 * The entity phase-one binary cross-entropy of the two-phase loss: summed over
 * the samples, then (`'mean'`) divided by the number of gold entities (label >= 1,
 * at least 1), i.e. by phase two's instance count `M_t'` rather than by all
 * samples `N_t`.
 *
 * Why (the paper leaves the averaging to us): phase two averages over the gold
 * entities only (Eq. 15), about 2 per sentence, while phase one averages over
 * every sample, about 50-100 spans per sentence under SpERT's sampling. With
 * `1 / N_t` each gold span weighs ~25 times less in phase one than in phase two,
 * so typing dominates the shared encoder's (clipped, Adam-normalised) gradient
 * and the entity / not-entity decision trains far too slowly with an encoder
 * learnt from scratch (on the demo corpus, gold spans still at σ ≈ 0.01 after an
 * epoch: nothing passes phase one). Dividing by `M_t'` gives both phases the same
 * weight per gold instance, as SpERT's single softmax does, and keeps the
 * relative weight of positives and negatives inside phase one (its calibration).
 * On 200 demo sentences, 3 epochs: dev NER 0 with `1 / N_t`, 86.8 with this.
 * A shard of a batch ({@link Reduction} `batch-mean`) divides by the batch's gold entities.
 */
function entityPhaseOneLossPerGold(
  binary: tf.Tensor3D,
  labels: tf.Tensor2D,
  mask: tf.Tensor2D,
  reduction: Reduction,
): tf.Scalar {
  if (reduction === 'sum') return entityPhaseOneLoss(binary, labels, mask, 'sum');
  if (reduction !== 'mean') return reduceLoss(reduction, 'goldEntities', (r) => entityPhaseOneLoss(binary, labels, mask, r));
  return tf.tidy(() => {
    const gold = tf.logicalAnd(tf.notEqual(mask, tf.scalar(0, mask.dtype)), tf.greater(labels, 0)); // [B, S]
    return tf.div(entityPhaseOneLoss(binary, labels, mask, 'sum'), tf.maximum(tf.sum(tf.cast(gold, 'float32')), 1)) as tf.Scalar; // []
  });
}

/**
 * The two-phase span model's loss (Eq. 16): entity phase one (binary
 * cross-entropy, entity / not entity, over every sample) + entity phase two
 * (cross-entropy over the types of the gold entities) + the same two for
 * relations (the pairs carry the gold entity classes as `spanLabels` for the
 * type x type x distance features). With `lossReduction: 'mean'` phase two
 * averages over the gold instances (Eq. 15), relation phase one over the pairs
 * (Eq. 11), and entity phase one's sum is divided by the number of gold
 * entities (see `entityPhaseOneLossPerGold`). The entity and relation losses reported
 * are the sums of their two phases. A component in its single-phase ablation
 * (`twoPhase: false`) contributes its one cross-entropy over `none` + types.
 */
export function twoPhaseLoss(): LossStrategy {
  return {
    spec: { kind: 'two-phase' },
    check(model) {
      checkNoTagger(model, 'two-phase');
      const problems: string[] = [];
      if (!(model.entityClassifier instanceof TwoPhaseEntityClassifier)) problems.push(`the entity classifier is ${model.entityClassifier.name}, not ${TwoPhaseEntityClassifier.kind}`);
      if (!(model.relationHead instanceof TwoPhaseRelationHead)) problems.push(`the relation head is ${model.relationHead.name}, not ${TwoPhaseRelationHead.kind}`);
      if (problems.length > 0) throw new Error(`training.loss.kind "two-phase" needs the two-phase components: ${problems.join('; ')}`);
    },
    entityLoss(model, reps, labels, spanMask, reduction) {
      const classifier = phasedClassifier(model);
      if (!classifier) return singleEntityLoss(model, reps, labels, spanMask, reduction);
      return tf.tidy(() => {
        const { binary, types } = classifier.classifyPhases(reps, true); // [B, S, 2], [B, S, T]
        const phaseOne = entityPhaseOneLossPerGold(binary, labels, spanMask, reduction); // []
        const phaseTwo = reduceLoss(reduction, 'goldEntities', (r) => entityPhaseTwoLoss(types, labels, spanMask, r)); // []
        const loss = tf.add(phaseOne, phaseTwo) as tf.Scalar;
        const logits = combinePhaseLogits(binary, types, classifier.config().threshold) as tf.Tensor3D; // [B, S, T + 1]
        return { loss, logits };
      });
    },
    relationLoss(model, enc, spanReps, pairs, targets, reduction) {
      const head = phasedRelationHead(model);
      if (!head) return singleRelationLoss(model, enc, spanReps, pairs, targets, reduction);
      return tf.tidy(() => {
        const { binary, types } = head.scorePhases(enc, spanReps, pairs, true); // [B, P, 2], [B, P, R]
        const labels = targets as tf.Tensor2D; // [B, P] classes (the head is a softmax head: R + 1 outputs)
        // Phase one keeps Eq. 11's 1 / N_t here: pairs are far less imbalanced than spans (a few negatives per gold
        // relation), and dividing by the gold count would turn batches without a relation into plain sums.
        const phaseOne = reduceLoss(reduction, 'relationSamples', (r) => relationPhaseOneLoss(binary, labels, pairs.pairMask, r)); // []
        const phaseTwo = reduceLoss(reduction, 'goldRelations', (r) => relationPhaseTwoLoss(types, labels, pairs.pairMask, r)); // []
        return tf.add(phaseOne, phaseTwo) as tf.Scalar;
      });
    },
    combine: (entity, relation) => tf.tidy(() => tf.add(entity, relation) as tf.Scalar),
  };
}

/**
 * STSN's loss (Ji et al., section 3.4): `L_L + L_E + L_R`, the tagger's
 * cross-entropy over the real tokens, the entity cross-entropy of the span
 * decoder and the relation loss of the relation decoder (binary cross-entropy
 * of STSN's sigmoid head; a softmax head's cross-entropy also works). The
 * reported entity and relation losses are `L_E` and `L_R`; `L_L` is the
 * forward's `tagLoss`. Needs a model with a token interaction and a tagger.
 */
export function stsnLoss(): LossStrategy {
  return {
    spec: { kind: 'stsn' },
    check(model) {
      if (!model.tokenInteraction || !model.tagger) throw new Error('training.loss.kind "stsn" needs the STSN parts: set tokenInteraction and tagger (the "stsn" preset does)');
    },
    entityLoss: singleEntityLoss,
    relationLoss: singleRelationLoss,
    combine(entityLoss, relationLoss, tagLoss) {
      if (!tagLoss) throw new Error('training.loss.kind "stsn": the forward gave no tag loss (the model has no tagger)');
      return stsnJointLoss({ tagLoss, entityLoss, relationLoss });
    },
  };
}

/** The strategy of a `training.loss` spec (absent: {@link DEFAULT_LOSS}). */
export function lossStrategy(spec: LossSpec | undefined): LossStrategy {
  const s = spec ?? DEFAULT_LOSS;
  switch (s.kind) {
    case 'weighted-sum':
      return weightedSumLoss(s.entityWeight, s.relationWeight);
    case 'two-phase':
      return twoPhaseLoss();
    case 'stsn':
      return stsnLoss();
    default:
      throw new Error(`training.loss.kind must be "weighted-sum", "two-phase" or "stsn", got ${JSON.stringify((s as { kind: unknown }).kind)}`);
  }
}
