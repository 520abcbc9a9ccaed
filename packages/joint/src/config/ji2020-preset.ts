import { JI2020_HYPERPARAMETERS as JI } from '@spanrel/span-heads';
import { bilstmEncoder } from './encoder-specs.js';
import type { JointSpec } from './joint-spec.js';
import { spertStyleBookkeeping, warmupAdamW } from './training-defaults.js';

/**
 * Ji et al. 2020 (COLING; seed 001), read from `JI2020_HYPERPARAMETERS`
 * (`@spanrel/span-heads`, each value with its section):
 *
 * - span `R_s = [T_s; F_s; H_s; W]` (`ji2020-span-head.v1`): span-specific MLP
 *   attention `F_s`, sentence-level attention `T_s`, head / tail states, width
 *   embedding 50; entity classifier `Softmax(FFNN(R_s))`, a two-layer FFNN
 *   (`mlp-entity-classifier.v1` with one hidden layer);
 * - relation `R_r = [H_r; FFNN_F(F_r); FFNN_T(T_r)]` (`ji2020-relation-head.v1`),
 *   a sigmoid per type trained with binary cross-entropy (section 3.4), threshold 0.4;
 * - attention: multi-head with 8 heads (the paper's main model), in both heads;
 * - dropout 0.2, batch size 8, spans up to 10 words;
 * - negatives drawn afresh per batch: 30 x the gold entities and 30 x the gold
 *   relations of each sentence (`sampling: {strategy: "ratio", ratio: 30}`);
 * - loss `0.4 L_s + 0.6 L_r` (Eq. 11), each averaged over its samples.
 *
 * Not in the paper, from SpERT (section 4.2 defers to it): 20 epochs, AdamW
 * with weight decay 0.01 and no bias correction, linear warmup (10 %) and decay,
 * gradient clipping 1.0; peak lr 5e-5 with BERT, 1e-3 with the BiLSTM encoder
 * (this preset's default). FFNN sizes are the heads' defaults (not reported).
 *
 * Decoding: not in the paper. The preset keeps the library's `entityOverlap`
 * default (`auto`: flat decoding on a corpus without overlapping entities). On
 * CoNLL04 this preset's span representation scored a gold span's nested
 * neighbours nearly as high as the span (165 of its 284 false positive test
 * entities overlapped a gold one, SpERT's 83), which kept its NER under 82;
 * flat decoding took test NER from 80.60 to 82.70 (packages/joint/README.md).
 *
 * Ablations (Tables 3, 4) and attention variants (Table 1) are config fields
 * of the heads: `spanHead.config.spanSpecific` / `sentenceLevel`,
 * `relationHead.config.local` / `sentenceLevel`, and `attention`
 * (`"multi-head"`, `"additive"`, `"dot-product"`, `"general"`) in both.
 */
export function ji2020Preset(): JointSpec {
  const sampling = JI.negativeSampling;
  if (sampling.negativesPerGoldEntity !== sampling.negativesPerGoldRelation) throw new Error('ji2020Preset: one ratio for entities and relations is assumed');
  const attention = { attention: JI.attention, numHeads: JI.numHeads };
  return {
    preset: 'ji2020',
    seed: 1,
    encoder: bilstmEncoder(),
    spanHead: { name: 'ji2020-span-head.v1', config: { widthDim: JI.widthEmbeddingDim, ...attention, dropout: JI.dropout, spanSpecific: true, sentenceLevel: true } },
    entityClassifier: { name: 'mlp-entity-classifier.v1', config: { hiddenDims: [500], dropout: JI.dropout } },
    relationHead: {
      name: 'ji2020-relation-head.v1',
      config: { ...attention, dropout: JI.dropout, relationActivation: 'sigmoid', threshold: JI.relationThreshold, local: true, sentenceLevel: true, maxPairs: 1000 },
    },
    maxSpanWidth: JI.maxSpanWidth,
    maxKeptSpans: null,
    keptSpansPerWord: 0.4,
    minKeptSpans: 8,
    decodeBatchSize: 8,
    training: {
      epochs: JI.spertEpochs,
      batchSize: JI.batchSize,
      sampling: { strategy: 'ratio', ratio: sampling.negativesPerGoldEntity, maxWidth: JI.maxSpanWidth },
      lossReduction: 'mean',
      loss: { kind: 'weighted-sum', entityWeight: JI.lossWeights.entity, relationWeight: JI.lossWeights.relation },
      optimizer: warmupAdamW(),
      ...spertStyleBookkeeping(),
    },
  };
}
