/**
 * The training forward paths: a batch of sentences with its samples in, the
 * losses out (scalars, to be called inside a gradient tape such as
 * tensor-core's `trainStep`). Inference is a separate path (`decoding/`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { allPairs, pairsToBatch, type PairBatch } from '@spanrel/relation-heads';
import { filterSpans, gatherKeptSpans, spansToTensor } from '@spanrel/span-heads';
import type { AllSpansSamplingSpec, LossSpec } from '../config/joint-spec.js';
import { keptSpanLimit, limitKeptSpans } from '../decoding/decode.js';
import { decoderViews, goldTagsOf, relationSpanReps, sharesViews } from '../model/decoder-views.js';
import { gatherSpanLabels } from '../model/span-labels.js';
import type { JointModel } from '../model/joint-model.js';
import type { Reduction } from './loss-reduction.js';
import { lossStrategy, type LossStrategy } from './loss-strategy.js';
import type { AllSpansBatch, SampledBatch, TrainingBatch } from './training-batch.js';

/**
 * The losses of one batch: `loss` is the objective the optimizer follows, made
 * from the two task losses by the loss strategy (`entityLoss + relationLoss` by
 * default; `0.4 entityLoss + 0.6 relationLoss` for Ji 2020; see `LossSpec`).
 */
export interface TrainingLosses {
  loss: tf.Scalar;
  entityLoss: tf.Scalar;
  relationLoss: tf.Scalar;
  /** STSN's tag loss `L_L`, for models with a tagger (absent otherwise). */
  tagLoss?: tf.Scalar;
}

/** The losses with the strategy's objective, and the tag loss when the model has a tagger. */
function withTagLoss(strategy: LossStrategy, entityLoss: tf.Scalar, relationLoss: tf.Scalar, tagLoss: tf.Scalar | null): TrainingLosses {
  const loss = strategy.combine(entityLoss, relationLoss, tagLoss ?? undefined);
  return tagLoss ? { loss, entityLoss, relationLoss, tagLoss } : { loss, entityLoss, relationLoss };
}

/**
 * SpERT's training forward (section 3.4): one encoder pass per sentence; the
 * entity samples (gold + negative spans) are embedded and classified
 * (cross-entropy); the relation samples (gold + strong negative pairs of gold
 * entities) are scored from the same span representations (binary
 * cross-entropy per type for a sigmoid head, cross-entropy for a softmax head).
 * `mean`: each loss is averaged over its samples in the batch (SpERT). The
 * pairs carry the gold classes of their spans (`PairBatch.spanLabels`) for
 * heads with entity-type features. The loss strategy (`training.loss`; absent =
 * entity + relation loss) computes the loss terms and the objective. A shard of
 * a batch (data-parallel training) passes the batch's counts (`BatchMean`).
 */
export function sampledTrainingLoss(model: JointModel, batch: SampledBatch, reduction: Reduction, loss: LossSpec | LossStrategy = lossStrategy(undefined)): TrainingLosses {
  const numTypes = model.relationHead.numTypes; // R
  const strategy = 'check' in loss ? loss : lossStrategy(loss);
  return tf.tidy(() => {
    const goldTags = model.tagger ? goldTagsOf(model.schema, batch.tokens, batch.entitySpans, batch.entityLabels) : null;
    const views = decoderViews(model, batch.tokens, true, goldTags, reduction); // entity / relation: hidden [B, T, D]
    const enc = views.entity;
    const [batchSize, seqLen] = enc.hidden.shape; // B, T
    const { spans, spanMask } = spansToTensor(batch.entitySpans); // [B, S, 2], [B, S]
    const numSpans = spans.shape[1]; // S
    const labelValues = new Int32Array(batchSize * numSpans);
    batch.entityLabels.forEach((labels, b) => labelValues.set(labels, b * numSpans));
    const labels = tf.tensor2d(labelValues, [batchSize, numSpans], 'int32'); // [B, S]
    const reps = model.spanHead.embed(enc, spans, spanMask, true); // [B, S, D']
    const entityLoss = strategy.entityLoss(model, reps, labels, spanMask, reduction).loss;

    const pairs = pairsToBatch(spans, batch.relationPairs, seqLen, { spanLabels: labels }); // pairs [B, P, 2] into S
    const numPairs = pairs.pairMask.shape[1]; // P
    let targets: tf.Tensor;
    if (model.relationMode === 'multi-label') {
      const hot = new Float32Array(batchSize * numPairs * numTypes);
      batch.relationTypes.forEach((perPair, b) => perPair.forEach((types, p) => types.forEach((r) => (hot[(b * numPairs + p) * numTypes + r] = 1))));
      targets = tf.tensor3d(hot, [batchSize, numPairs, numTypes]); // [B, P, R]
    } else {
      const classes = new Int32Array(batchSize * numPairs);
      batch.relationTypes.forEach((perPair, b) => perPair.forEach((types, p) => (classes[b * numPairs + p] = types.length > 0 ? types[0] + 1 : 0)));
      targets = tf.tensor2d(classes, [batchSize, numPairs], 'int32'); // [B, P]
    }
    const relReps = relationSpanReps(model, views, reps, spans, spanMask, true); // [B, S, Dr]
    const relLoss = strategy.relationLoss(model, views.relation, relReps, pairs, targets, reduction);
    return { ...withTagLoss(strategy, entityLoss, relLoss, views.tagLoss) };
  });
}

/**
 * Gold relation targets for every pair of `pairs`, looked up on the device in a
 * `[B, K, K]` class table (or `[B, K, K, R]` multi-hot table) filled from the
 * gold relations of the K gathered spans.
 */
function gatheredRelationTargets(model: JointModel, batch: AllSpansBatch, gathered: number[][], pairs: PairBatch): tf.Tensor {
  const numTypes = model.relationHead.numTypes; // R
  const [batchSize, numPairs] = pairs.pairMask.shape; // B, P
  const numKept = pairs.spans.shape[1]; // K
  const multi = model.relationMode === 'multi-label';
  const width = multi ? numTypes : 1;
  const table = multi ? new Float32Array(batchSize * numKept * numKept * numTypes) : new Int32Array(batchSize * numKept * numKept);
  batch.goldRelations.forEach((relations, b) => {
    const slot = new Map(gathered[b].map((position, k) => [position, k]));
    for (const r of relations) {
      const head = slot.get(r.head);
      const tail = slot.get(r.tail);
      if (head === undefined || tail === undefined) continue; // an argument was not selected
      const at = ((b * numKept + head) * numKept + tail) * width;
      if (multi) for (const t of r.types) table[at + t] = 1;
      else table[at] = r.types[0] + 1;
    }
  });
  return tf.tidy(() => {
    const shape = multi ? [batchSize, numKept, numKept, numTypes] : [batchSize, numKept, numKept];
    const lookupTable = multi ? tf.tensor(table, shape, 'float32') : tf.tensor(table, shape, 'int32'); // [B, K, K(, R)]
    const sentence = tf.broadcastTo(tf.reshape(tf.range(0, batchSize, 1, 'int32'), [batchSize, 1, 1]), [batchSize, numPairs, 1]); // [B, P, 1]
    const where = tf.concat([sentence, pairs.pairs], 2); // [B, P, 3] (b, first, second)
    return tf.gatherND(lookupTable, where); // [B, P(, R)]
  });
}

/**
 * Dixit & Al-Onaizan's training forward (section 3.4): every span up to the max
 * width is classified (entity cross-entropy over all spans); the spans the
 * classifier selects (best class not `none`; with `selected+gold` also the gold
 * entities; at most `maxSelectedSpans` (null: the decoding cap), the most probable) are paired in every
 * order and the pairs' relation loss is added (cross-entropy against the gold
 * relation type, `none` when the two spans are not related). `sum`: both losses
 * summed over their samples (the paper). The pairs carry the gold classes of
 * the selected spans (`PairBatch.spanLabels`).
 */
export function allSpansTrainingLoss(
  model: JointModel,
  batch: AllSpansBatch,
  sampling: AllSpansSamplingSpec,
  reduction: Reduction,
  loss: LossSpec | LossStrategy = lossStrategy(undefined),
): TrainingLosses {
  const strategy = 'check' in loss ? loss : lossStrategy(loss);
  return tf.tidy(() => {
    const goldTags = model.tagger ? goldTagsOf(model.schema, batch.tokens, batch.spans, batch.labels) : null;
    const views = decoderViews(model, batch.tokens, true, goldTags, reduction); // entity / relation: hidden [B, T, D]
    const enc = views.entity;
    const [batchSize, seqLen] = enc.hidden.shape; // B, T
    const { spans, spanMask } = spansToTensor(batch.spans); // [B, S, 2], [B, S]
    const numSpans = spans.shape[1]; // S
    const labelValues = new Int32Array(batchSize * numSpans);
    batch.labels.forEach((labels, b) => labelValues.set(labels, b * numSpans));
    const labels = tf.tensor2d(labelValues, [batchSize, numSpans], 'int32'); // [B, S]
    const reps = model.spanHead.embed(enc, spans, spanMask, true); // [B, S, D']
    const { loss: entityLoss, logits } = strategy.entityLoss(model, reps, labels, spanMask, reduction); // logits [B, S, C]

    // Selection is a decision, not differentiated: read back which spans are kept.
    // null: the decoding cap per sentence, so that an untrained classifier's selection cannot pair every span either.
    const limit = sampling.maxSelectedSpans ?? batch.tokens.map((words) => keptSpanLimit(words.length, model.decoding));
    const kept = limitKeptSpans(filterSpans(logits, spanMask), limit);
    const selected = kept.indices.map((indices, b) =>
      sampling.relationCandidates === 'selected+gold' ? [...new Set([...indices, ...batch.goldSpans[b]])].sort((x, y) => x - y) : indices,
    );
    // One view: gather the relation features of all spans; STSN: embed the gathered spans over the relation view.
    const gathered = gatherKeptSpans(sharesViews(views) ? model.spanHead.relationFeatures(reps) : reps, spans, selected); // reps [B, K, D' or Dr]
    const relReps = sharesViews(views) ? gathered.reps : relationSpanReps(model, views, gathered.reps, gathered.spans, gathered.mask, true); // [B, K, Dr]
    const spanLabels = gatherSpanLabels(labels, gathered); // [B, K] gold classes of the selected spans
    const pairs = allPairs(gathered.spans, gathered.mask, seqLen, { spanLabels, context: model.relationHead.readsContext !== false }); // pairs [B, P, 2] over K
    const targets = gatheredRelationTargets(model, batch, selected, pairs); // [B, P(, R)]
    const relLoss = strategy.relationLoss(model, views.relation, relReps, pairs, targets, reduction);
    return { ...withTagLoss(strategy, entityLoss, relLoss, views.tagLoss) };
  });
}

/**
 * The losses of a batch of either kind (see the two functions above), with the
 * loss strategy of `loss` (the spec's `training.loss`; absent = entity +
 * relation loss). Throws when the model's components do not fit the strategy.
 */
export function trainingLosses(
  model: JointModel,
  batch: TrainingBatch,
  sampling: AllSpansSamplingSpec | undefined,
  reduction: Reduction,
  loss?: LossSpec,
): TrainingLosses {
  const strategy = lossStrategy(loss);
  strategy.check(model);
  if (batch.kind === 'sampled') return sampledTrainingLoss(model, batch, reduction, strategy);
  if (!sampling) throw new Error('trainingLosses: an all-spans batch needs its sampling settings');
  return allSpansTrainingLoss(model, batch, sampling, reduction, strategy);
}
