import { TWO_PHASE_HYPERPARAMETERS as TWO } from '@spanrel/span-heads';
import { bilstmEncoder } from './encoder-specs.js';
import type { JointSpec } from './joint-spec.js';
import { spertStyleBookkeeping, warmupAdamW } from './training-defaults.js';

/**
 * The two-phase span model (seed 004), read from `TWO_PHASE_HYPERPARAMETERS`
 * (`@spanrel/span-heads`, each value with its section):
 *
 * - span `E'_S = GatedFusion(max-pool, [CLS], width)` (`two-phase-span-head.v1`);
 * - entities: phase one entity / not entity, phase two the type
 *   (`two-phase-entity-classifier.v1`);
 * - relations: phase one relation / not relation over the gated fusion of both
 *   entities, the context between them and a distance embedding; phase two
 *   the type, fused with an embedding of (entity type, entity type, distance)
 *   (`two-phase-relation-head.v1`; distances clipped to 10). The entity types
 *   are the gold ones in training and the predicted ones at inference
 *   (`numEntityTypes: "auto"` = the types file's count);
 * - SpERT's sampling (100 negative entities and 100 negative relations per
 *   sentence, spans up to 10 words);
 * - loss: the two binary cross-entropies plus the two cross-entropies (Eq. 16),
 *   each averaged over its instances, except entity phase one, whose sum is
 *   divided by the number of gold entities (`twoPhaseLoss`: else it weighs ~25x
 *   less per gold span than phase two and nothing passes phase one with the BiLSTM);
 * - BertAdam (AdamW without bias correction), 120 epochs, weight decay 1e-2,
 *   lr 5e-5 with BERT, 1e-3 with the BiLSTM encoder (this preset's default).
 *
 * Not in the paper: batch size 2, dropout 0.1, warmup 10 % then linear decay,
 * gradient clipping 1.0 (SpERT's, whose sampling it follows; BertAdam clips at 1.0),
 * and a linear map per input before each phase-one gated fusion (the heads'
 * `projectInputs`, default true): without it Eq. 5 is symmetric in e1 and e2.
 *
 * Table 7 ablations are config fields of the components: `twoPhase` (entity
 * classifier and relation head), `biFeatures`, `multiFeatures` (relation head),
 * `gated` (span head and relation head).
 */
export function twoPhasePreset(): JointSpec {
  const { spanHead, entityClassifier, relationHead } = TWO.components;
  if (TWO.sampling.strategy !== 'spert') throw new Error('twoPhasePreset: SpERT sampling is assumed');
  return {
    preset: 'twophase',
    seed: 1,
    encoder: bilstmEncoder(),
    spanHead: { name: spanHead.name, config: { ...spanHead.config } },
    entityClassifier: { name: entityClassifier.name, config: { ...entityClassifier.config, dropout: 0.1 } },
    relationHead: { name: relationHead.name, config: { ...relationHead.config, numEntityTypes: 'auto', dropout: 0.1, maxPairs: 1000 } },
    maxSpanWidth: TWO.maxSpanWidth,
    maxKeptSpans: null,
    keptSpansPerWord: 0.4,
    minKeptSpans: 8,
    decodeBatchSize: 8,
    training: {
      epochs: TWO.training.epochs,
      batchSize: 2,
      sampling: { strategy: 'spert', negativeEntities: TWO.sampling.negativeEntities, negativeRelations: TWO.sampling.negativeRelations, maxWidth: TWO.maxSpanWidth },
      lossReduction: TWO.loss.reduction,
      loss: { kind: 'two-phase' },
      optimizer: warmupAdamW({ weightDecay: TWO.training.weightDecay, eps: 1e-6 }),
      ...spertStyleBookkeeping(),
    },
  };
}
