/**
 * The settings of the two-phase span model as its paper gives them (seed 004,
 * "two-phase paradigm for span-based joint entity and relation extraction"),
 * with the section each comes from, for the joint preset. Dimensions the paper
 * ties to the encoder (`∈ R^d`) are left to the heads' defaults, which follow
 * them (`widthDim` = `inputDim`, `featureDim` = `spanDim`).
 *
 * Not stated in the paper (the preset has to choose): batch size, dropout,
 * learning-rate warmup / decay, gradient clipping, weight initialisation.
 */
export const TWO_PHASE_HYPERPARAMETERS = {
  /** Components, as `{ name, config }` specs without the sizes the model fills in. */
  components: {
    /** §3.2.1, Eq. 5 (δ = 3): gated fusion of max-pool (Eq. 4), `[CLS]` `x_0`, width embedding `W_{j+1} ∈ R^d`. */
    spanHead: { name: 'two-phase-span-head.v1', config: { useCls: true, gated: true, widthDropout: 0 } },
    /** §3.2.1 Eq. 6 (binary, highest-scored class) and §3.3.1 Eq. 12 (softmax over the types). */
    entityClassifier: { name: 'two-phase-entity-classifier.v1', config: { twoPhase: true, threshold: 0.5 } },
    /**
     * §3.2.2 Eqs. 7-10 (δ = 4: e1, e2, max-pooled context Eq. 9, distance embedding),
     * §3.3.2 Eqs. 13-14 (δ = 2: relation, type x type x distance embedding);
     * §4.2: distances 0..10, larger ones clipped to 10.
     */
    relationHead: {
      name: 'two-phase-relation-head.v1',
      config: { twoPhase: true, gated: true, biFeatures: true, multiFeatures: true, maxDistance: 10, threshold: 0.5 },
    },
  },
  /** §4.2 and Eq. 1: the span width threshold ε. */
  maxSpanWidth: 10,
  /** §4.2: "the same negative sampling strategy proposed by Eberts and Ulges" (SpERT: 100 negative entities and 100 negative relations per sentence). */
  sampling: { strategy: 'spert', negativeEntities: 100, negativeRelations: 100 },
  /** §3.1: a word's vector is the max-pool of its sub-token vectors. */
  subwordPooling: 'max',
  /** §4.2: bert-base-cased on ACE05 and CoNLL04, scibert-scivocab-cased on SciERC. */
  encoders: { ace05: 'bert-base-cased', conll04: 'bert-base-cased', scierc: 'allenai/scibert_scivocab_cased' },
  /** §4.2: BertAdam, 120 epochs, learning rate 5e-5, weight decay 1e-2. */
  training: { optimizer: 'BertAdam', epochs: 120, learningRate: 5e-5, weightDecay: 1e-2 },
  /**
   * Eq. 16: the sum of the two phase-one binary cross-entropies (Eq. 11, mean over
   * instances) and the two phase-two cross-entropies (Eq. 15, mean over instances).
   * The joint two-phase loss divides entity phase one by the gold entities
   * instead (see `twoPhaseLoss` in `@spanrel/joint`).
   */
  loss: { combine: 'sum', reduction: 'mean' },
} as const;
