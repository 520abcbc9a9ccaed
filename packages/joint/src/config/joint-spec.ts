import type { EntityOverlap } from '../decoding/non-overlapping-spans.js';
import type { ComponentSpec } from './component-spec.js';

/**
 * How training samples are drawn per sentence.
 *
 * - `spert` (SpERT section 3.4): entity samples are the gold entities plus
 *   `negativeEntities` random non-entity spans of width <= `maxWidth`; relation
 *   samples are the gold relations plus `negativeRelations` "strong" negatives,
 *   pairs of gold entities without a relation.
 * - `ratio` (Ji et al. 2020 sections 3.4, 4.2): the same candidates, but
 *   `ratio` x the sentence's gold entities negative spans and `ratio` x its
 *   gold relations negative pairs, drawn afresh for every batch.
 * - `all-spans` (Dixit & Al-Onaizan section 3.4): every span of width <= the
 *   model's `maxSpanWidth` is an entity sample; relation samples are every
 *   ordered pair of the spans the entity classifier selects (predicted not
 *   `none`), labelled from the gold relations (`none` when there is none).
 */
export type SamplingSpec = SpertSamplingSpec | RatioSamplingSpec | AllSpansSamplingSpec;

/** The samplings that draw negatives around the gold annotations (`spert`, `ratio`): one sampled batch per step. */
export type NegativeSamplingSpec = SpertSamplingSpec | RatioSamplingSpec;

/** SpERT's sampling (see {@link SamplingSpec}). */
export interface SpertSamplingSpec {
  strategy: 'spert';
  /** N_e, negative entity spans per sentence (SpERT: 100). */
  negativeEntities: number;
  /** N_r, negative relation pairs per sentence (SpERT: 100). */
  negativeRelations: number;
  /** Widest negative span (SpERT: 10). */
  maxWidth: number;
}

/** Ji et al. 2020's sampling (see {@link SamplingSpec}). */
export interface RatioSamplingSpec {
  strategy: 'ratio';
  /** Negatives per gold entity and per gold relation of the sentence (Ji 2020: 30). */
  ratio: number;
  /** Widest negative span (Ji 2020: 10, the span width threshold). */
  maxWidth: number;
}

/** Dixit's sampling (see {@link SamplingSpec}). */
export interface AllSpansSamplingSpec {
  strategy: 'all-spans';
  /**
   * Which spans are paired up for the relation loss: `selected` (the paper: the
   * spans predicted as entities), or `selected+gold` (also the gold entities, so
   * the relation classifier learns before the entity classifier finds them).
   */
  relationCandidates: 'selected' | 'selected+gold';
  /**
   * At most this many selected spans per sentence (the most probable ones), or
   * null for the decoding cap (`keptSpansPerWord` / `minKeptSpans` /
   * `maxKeptSpans`: no limit only when those are null too). A freshly
   * initialised entity classifier selects about three spans in four, whose
   * K (K - 1) pairs make the first steps very slow; the limit only binds then.
   */
  maxSelectedSpans: number | null;
}

/**
 * The learning rate: fixed, linear warmup then linear decay to 0 over the whole
 * run (SpERT; the total number of steps is computed from the data), or annealed
 * by `factor` every `every` steps (Dixit: 0.99 every 100).
 */
export type LrSpec =
  | { kind: 'constant'; lr: number }
  | { kind: 'linear-warmup-decay'; peakLr: number; warmupProportion: number }
  | { kind: 'step-decay'; lr: number; factor: number; every: number };

/** AdamW settings (tensor-core `AdamW`). */
export interface OptimizerSpec {
  lr: LrSpec;
  /** Decoupled weight decay (SpERT 0.01; Dixit uses plain Adam: 0). */
  weightDecay: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Bias-corrected moments (PyTorch default true; SpERT's Hugging Face AdamW ran with `correct_bias=False`). */
  biasCorrection: boolean;
  /** Fused AdamW update (tensor-core `AdamW` option `fused`; absent = true); false runs it op by op (same numbers, slower). */
  fused?: boolean;
  /**
   * Per-group learning rates (tensor-core `AdamW` option `lrMultipliers`): a
   * parameter whose name starts with a key trains at the schedule's lr times its
   * factor, e.g. `{"tokenInteraction.": 0.1}`. Absent: one lr for all.
   */
  lrMultipliers?: Record<string, number>;
}

/**
 * How the entity and relation losses of a batch make the training objective
 * (`training/loss-strategy.ts`):
 *
 * - `weighted-sum`: `entityWeight L_e + relationWeight L_r` with `L_e` the
 *   entity cross-entropy and `L_r` the relation binary cross-entropy (a
 *   sigmoid head) or cross-entropy (a softmax head). SpERT and Dixit add them
 *   (1, 1); Ji et al. 2020 (Eq. 11) weigh them 0.4 and 0.6.
 * - `two-phase` (two-phase span model, Eq. 16): the sum of the phase-one
 *   binary cross-entropies (entity / not entity, relation / not relation) and
 *   the phase-two cross-entropies over the types of gold entities and gold
 *   relations. A component in its single-phase ablation (`twoPhase: false`)
 *   contributes its one cross-entropy over `none` + types instead.
 * - `stsn` (STSN, Ji et al.): `L_L + L_E + L_R`, the tag cross-entropy of the
 *   model's tagger plus the entity cross-entropy and the relation loss. Needs
 *   the `tokenInteraction` and `tagger` parts.
 */
export type LossSpec = { kind: 'weighted-sum'; entityWeight: number; relationWeight: number } | { kind: 'two-phase' } | { kind: 'stsn' };

/** The dev-set score a run keeps its best model by. */
export type SelectionMetric = 'rePlus' | 're' | 'ner';

/** Everything about how a model is trained. */
export interface TrainingSpec {
  /** Passes over the training set (at most, with early stopping). */
  epochs: number;
  /** Sentences per optimizer step. */
  batchSize: number;
  sampling: SamplingSpec;
  /**
   * How the entity and relation losses are reduced over their samples: `mean`
   * (SpERT: each loss averaged over the batch's samples, then added) or `sum`
   * (Dixit: summed over all spans and all pairs).
   */
  lossReduction: 'mean' | 'sum';
  /** How the losses combine (see {@link LossSpec}); absent = `weighted-sum` with weights 1 and 1 (runs saved before the field existed). */
  loss?: LossSpec;
  optimizer: OptimizerSpec;
  /** Clip the gradients to this global L2 norm (SpERT 1.0), or null. */
  clipNorm: number | null;
  /** Stop after this many dev evaluations without improvement (Dixit: 20), or null to run every epoch. */
  earlyStoppingPatience: number | null;
  /**
   * Stop after the epoch past which one more (of the mean length so far, training
   * plus dev evaluation) would exceed this many minutes in total; absent or null
   * = no limit. Counted across resumes. Keeps a run with the papers' long
   * schedules inside a machine budget ("fits in 2 hours").
   */
  timeBudgetMinutes?: number | null;
  /**
   * Dev score that picks the best model: the micro F1 of this task, ties broken by
   * the NER micro F1 (`rePlus` = relations with entity types, the strict score).
   */
  selectionMetric: SelectionMetric;
  /** Write a checkpoint after this many optimizer steps (and at every epoch end). */
  checkpointEverySteps: number;
  /** ... or after this many seconds, whichever comes first; null = steps only. */
  checkpointEverySeconds: number | null;
}

/** Vocabulary options of encoders built from the training data (the BiLSTM + char CNN encoder). */
export interface VocabularySpec {
  /** Lowercase words for the word table (characters keep their case). */
  lowercase: boolean;
  /** A word gets its own row when it occurs at least this often in the training set. */
  minCount: number;
}

/**
 * A whole run: the model's components (by registry name and config), decoding
 * settings and the training settings. Presets (`spert`, `dixit`, `ji2020`, `twophase`) are values of
 * this type; a JSON config file overrides any of its fields.
 */
export interface JointSpec {
  /** Name of the preset it started from (informative). */
  preset: string;
  /** Seed of the weights, the sampling and the data order. */
  seed: number;
  encoder: ComponentSpec & { vocabulary: VocabularySpec };
  spanHead: ComponentSpec;
  entityClassifier: ComponentSpec;
  relationHead: ComponentSpec;
  /**
   * STSN's token interaction (`stsn-token-interaction.v1`: word states -> label,
   * entity and relation views), or absent (every other preset: the heads read
   * the encoder's states). Present together with {@link JointSpec.tagger}.
   */
  tokenInteraction?: ComponentSpec;
  /**
   * STSN's tagger (`stsn-tagger.v1`): tags the label view and appends label
   * embeddings to the entity and relation views, which the span and relation
   * heads then read. `config.tags` is filled from the training data when the
   * model is built (extended BIO tags). Present together with `tokenInteraction`.
   */
  tagger?: ComponentSpec;
  /** Widest span considered at decoding (and by `all-spans` training): 10 in both papers. */
  maxSpanWidth: number;
  /** At most this many entity spans kept per sentence at decoding (the most probable), or null (the papers: no limit). */
  maxKeptSpans: number | null;
  /**
   * Span pruning at decoding (DyGIE++'s `spans_per_word`): a sentence of n words
   * keeps at most max(`minKeptSpans`, ceil(`keptSpansPerWord` * n)) entity spans,
   * the most probable, so that an undertrained model that marks every span as an
   * entity still pairs O(n^2) spans, not O(n^2 * width^2); null = no length cap.
   * Every preset: 0.4 (absent: 0.4). A trained model rarely predicts that many.
   */
  keptSpansPerWord?: number | null;
  /** The floor of that cap, for short sentences. Every preset: 8 (absent: 8). */
  minKeptSpans?: number;
  /** Sentences per batch at decoding. */
  decodeBatchSize: number;
  /**
   * Overlapping predicted entities at decoding: `allow` (keep every span classified
   * as an entity, the papers), `flat` (the most probable of overlapping spans wins),
   * or `auto` (absent: `flat` when no training document has overlapping entities,
   * `allow` otherwise; decided when the model is built and saved with it).
   */
  entityOverlap?: 'auto' | EntityOverlap;
  training: TrainingSpec;
}
