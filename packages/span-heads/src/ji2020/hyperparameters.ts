import type { AttentionVariant } from '@spanrel/tensor-core';

/**
 * The training and model settings Ji et al. 2020 (COLING, "Span-based Joint
 * Entity and Relation Extraction with Attention-based Span-specific and Contextual
 * Semantic Representations") report, each with the section it comes from. Where
 * the paper gives no value it says so (`null`, or a documented fallback to SpERT,
 * whose settings section 4.2 adopts: "follow Eberts and Ulges (2019) for other
 * hyperparameter settings").
 */
export interface Ji2020Hyperparameters {
  /** Backbone: BERT-base, English, cased (section 4.2). */
  readonly encoder: 'bert-base-cased';
  /** Sentences per training batch (section 4.2: "batch size for model training to 8"). */
  readonly batchSize: number;
  /** Dropout rate (section 4.2: "dropout to 0.2"). */
  readonly dropout: number;
  /** Span width embedding size (section 4.2: "width embedding dimension to 50"). */
  readonly widthEmbeddingDim: number;
  /** Widest candidate span, in words (section 4.2: "the span width threshold is initialized to 10"). */
  readonly maxSpanWidth: number;
  /** Attention variant of the main model SPAN_Multi-Head (sections 4.4, Table 1). */
  readonly attention: AttentionVariant;
  /** Heads of the multi-head attention (section 4.2: "the head number is set to 8"). */
  readonly numHeads: number;
  /** Fully connected layers of FFNN_F and FFNN_T (section 4.2: "contain three fully connected layers"). */
  readonly contextFfnLayers: number;
  /** Fully connected layers of every other FFNN (section 4.2: "all other FFNNs contain two layers"). */
  readonly otherFfnLayers: number;
  /**
   * Negative sampling (sections 3.4 and 4.2): "a dynamic sampling strategy, where the
   * negative examples for both entity and relation are thirtyfold of the ground truth
   * ones in each sentence" ("negative sampling rate to 30"): per sentence, 30 x its
   * gold entities negative spans and 30 x its gold relations negative pairs.
   */
  readonly negativeSampling: { readonly negativesPerGoldEntity: number; readonly negativesPerGoldRelation: number; readonly perSentence: true };
  /** Joint loss `L = 0.4 L_s + 0.6 L_r` (section 3.4, Eq. 11). */
  readonly lossWeights: { readonly entity: number; readonly relation: number };
  /** `L_s` is "the cross-entropy loss of span classification" (section 3.4). */
  readonly entityLoss: 'cross-entropy';
  /** `L_r` is "the binary cross-entropy loss of relation classification" (section 3.4). */
  readonly relationLoss: 'binary-cross-entropy';
  /**
   * Peak learning rate. Not reported: section 4.2 follows SpERT for the remaining
   * settings, i.e. 5e-5 with linear warmup and linear decay (Eberts & Ulges 2019, section 4).
   */
  readonly learningRate: number;
  /** Epochs: not reported ("We set different epochs for different datasets", section 4.2). SpERT trains 20. */
  readonly epochs: null;
  /** Epochs of SpERT (Eberts & Ulges 2019, section 4), the settings Ji et al. defer to; a fallback for `epochs`. */
  readonly spertEpochs: number;
  /**
   * Sigmoid threshold for relation decoding with `relationActivation: 'sigmoid'`. Not
   * reported; SpERT's alpha = 0.4 (Eberts & Ulges 2019, section 4).
   */
  readonly relationThreshold: number;
}

/**
 * Ji et al. 2020's hyper-parameters (sections 3.4 and 4.2), frozen; the joint
 * preset reads them. See {@link Ji2020Hyperparameters} for the source of each.
 */
export const JI2020_HYPERPARAMETERS: Ji2020Hyperparameters = deepFreeze({
  encoder: 'bert-base-cased',
  batchSize: 8,
  dropout: 0.2,
  widthEmbeddingDim: 50,
  maxSpanWidth: 10,
  attention: 'multi-head',
  numHeads: 8,
  contextFfnLayers: 3,
  otherFfnLayers: 2,
  negativeSampling: { negativesPerGoldEntity: 30, negativesPerGoldRelation: 30, perSentence: true },
  lossWeights: { entity: 0.4, relation: 0.6 },
  entityLoss: 'cross-entropy',
  relationLoss: 'binary-cross-entropy',
  learningRate: 5e-5,
  epochs: null,
  spertEpochs: 20,
  relationThreshold: 0.4,
} as const);

function deepFreeze<T extends object>(value: T): T {
  for (const field of Object.values(value)) if (typeof field === 'object' && field !== null) deepFreeze(field);
  return Object.freeze(value);
}
