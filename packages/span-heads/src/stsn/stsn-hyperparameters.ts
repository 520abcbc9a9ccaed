/**
 * STSN's training and model settings (Ji et al., section 4.1, "Implementation
 * details"), for the joint preset. The paper fine-tunes bert-base-cased (or
 * albert-xxlarge-v1) and reports, per dataset, the mean F1 of the best 5 of 20 runs.
 *
 * Not stated by the paper (project choices, see the span-heads README): the
 * dropout inside the attention units (0.1), the entity and relation classifiers'
 * dropout (SpERT's 0.1), and the negative-sample counts, which follow SpERT
 * ("We adopt negative sampling strategy following (Eberts and Ulges, 2019)": 100 + 100).
 */
export const STSN_HYPERPARAMETERS = {
  /** AdamW, section 4.1. */
  optimizer: 'adamw',
  learningRate: 5e-5,
  /** Linear scheduler with a warmup ratio of 0.1. */
  schedule: 'linear-warmup-decay',
  warmupProportion: 0.1,
  weightDecay: 0.01,
  epochs: 100,
  batchSize: 4,
  /** Dimension of the span-width embedding `W_{j+1}`. */
  widthDim: 150,
  /** Dimension of the token label embeddings `H_L'^N`. */
  labelDim: 150,
  /** Span width threshold (widest candidate span, in words). */
  maxSpanWidth: 10,
  /** Relation threshold α: a type holds when its sigmoid is `>= 0.4`. */
  relationThreshold: 0.4,
  /** N, stacked attention layers (best in Table 3). */
  numLayers: 4,
  /** h, heads of every multi-head attention. */
  numHeads: 8,
  /** SpERT's negative sampling (N_e = N_r = 100 per sentence). */
  negativeEntities: 100,
  negativeRelations: 100,
  /**
   * Tags: extended BIO (section 4.1). The paper uses it only for the full ADE (two-fold
   * overlapping entities); on data without overlap it gives exactly the plain BIO tags,
   * so `entitiesToExtendedBioTags` (`@spanrel/datasets`, max depth 2) serves every dataset.
   */
  tagScheme: 'extended-bio',
} as const;
