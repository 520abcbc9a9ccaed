import { STSN_HYPERPARAMETERS as STSN } from '@spanrel/span-heads';
import { bilstmEncoder } from './encoder-specs.js';
import type { JointSpec } from './joint-spec.js';
import { spertStyleBookkeeping, warmupAdamW } from './training-defaults.js';

/**
 * STSN (Ji et al., "Boosting Span-based Joint Entity and Relation Extraction
 * via Sequence Tagging Mechanism"; seed 003), read from `STSN_HYPERPARAMETERS`
 * (`@spanrel/span-heads`, section 4.1):
 *
 * - token interaction (`stsn-token-interaction.v1`): the encoder's word states
 *   projected into label, entity and relation views, 4 stacked attention
 *   layers of 8 heads (E&R-L-A, L-E-A, L-R-A);
 * - tagger (`stsn-tagger.v1`): extended BIO tags of the label view, label
 *   embeddings of 150 appended to the entity and relation views (gold tags in
 *   training, predicted ones at inference); its tag list is built from the
 *   training data and saved with the model;
 * - span decoder: `[h_start; h_end; width 150]` over the entity view
 *   (`stsn-span-head.v1`), linear entity classifier; relation decoder:
 *   `[E_s1; E_s2; C_r]` over the relation view, a sigmoid per type, threshold
 *   α = 0.4 (`stsn-relation-head.v1`);
 * - SpERT's negative sampling (100 + 100), spans up to 10 words;
 * - loss `L_L + L_E + L_R` (`training.loss: {kind: "stsn"}`), each averaged;
 * - AdamW, weight decay 0.01, linear warmup 10 % then decay, batch 4, 100
 *   epochs; peak lr 5e-5 with BERT (the paper), 1e-3 with the BiLSTM encoder
 *   (this preset's default, as the other presets).
 *
 * Not in the paper: dropout 0.1 before the classifiers (SpERT's), no bias
 * correction and gradient clipping 1.0 (SpERT's code, which STSN builds on).
 *
 * With the BiLSTM encoder (not BERT, whose output the paper's stack reads), three
 * changes make it learn; `withEncoder('bert:...')` undoes them:
 * - pre-LN attention units (`tokenInteraction.config.norm: "pre"`) instead of the
 *   paper's post-LN;
 * - a layer norm over the word states before the views
 *   (`tokenInteraction.config.inputLayerNorm`): BERT's output is layer-normed, a
 *   BiLSTM's states are small (about 0.08 rms) and were drowned by the attention's
 *   output in the first residual sum (full size, 40 CoNLL04 sentences, epoch 18:
 *   NER 16.8 with it, 1.5 without);
 * - the token interaction trains at 0.1 x the peak lr
 *   (`training.optimizer.lrMultipliers: {"tokenInteraction.": 0.1}`).
 * Post-LN stacks trained from scratch take only small rates, fewer as they widen
 * (16-d states: 3e-3 fits 30 sentences, 1e-2 does not; 128-d: 1e-3 fits, 3e-3
 * does not); at full size the tagger stayed at its prior (loss ~1.1 a token, no
 * entity predicted) for every rate tried while the -AttentionLayer ablation
 * learnt. With 128-d states, 4 layers x 8 heads and 150-d labels, post-LN fits
 * nothing in 20 epochs at 1e-3 or 3e-3; pre-LN with the stack at 0.1 x fits the
 * 30 sentences (NER / RE+ 100 / 100) at both rates.
 *
 * Ablations (Tables 3, 4) are component config fields: `tokenInteraction.config`
 * `numLayers` (1..6), `erla: false`, `attentionLayers: false`;
 * `tagger.config.labelEmbedding: false`.
 */
/** The token interaction's lr factor of the `stsn` preset with the BiLSTM encoder (see {@link stsnPreset}). */
export const STSN_BILSTM_LR_MULTIPLIERS: Readonly<Record<string, number>> = { 'tokenInteraction.': 0.1 };

export function stsnPreset(): JointSpec {
  return {
    preset: 'stsn',
    seed: 1,
    encoder: bilstmEncoder(),
    tokenInteraction: {
      name: 'stsn-token-interaction.v1',
      config: { numLayers: STSN.numLayers, numHeads: STSN.numHeads, dropout: 0.1, erla: true, attentionLayers: true, norm: 'pre', inputLayerNorm: true },
    },
    tagger: { name: 'stsn-tagger.v1', config: { labelDim: STSN.labelDim, labelEmbedding: true, initStd: 0.02 } },
    spanHead: { name: 'stsn-span-head.v1', config: { widthDim: STSN.widthDim } },
    entityClassifier: { name: 'linear-entity-classifier.v1', config: { dropout: 0.1, initStd: 0.02 } },
    relationHead: { name: 'stsn-relation-head.v1', config: { dropout: 0.1, threshold: STSN.relationThreshold, initStd: 0.02, maxPairs: 1000 } },
    maxSpanWidth: STSN.maxSpanWidth,
    maxKeptSpans: null,
    keptSpansPerWord: 0.4,
    minKeptSpans: 8,
    decodeBatchSize: 8,
    training: {
      epochs: STSN.epochs,
      batchSize: STSN.batchSize,
      sampling: { strategy: 'spert', negativeEntities: STSN.negativeEntities, negativeRelations: STSN.negativeRelations, maxWidth: STSN.maxSpanWidth },
      lossReduction: 'mean',
      loss: { kind: 'stsn' },
      optimizer: { ...warmupAdamW({ warmupProportion: STSN.warmupProportion, weightDecay: STSN.weightDecay }), lrMultipliers: { ...STSN_BILSTM_LR_MULTIPLIERS } },
      ...spertStyleBookkeeping(),
    },
  };
}
