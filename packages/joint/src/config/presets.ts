import type { ComponentSpec } from './component-spec.js';
import { bilstmEncoder } from './encoder-specs.js';
import { ji2020Preset } from './ji2020-preset.js';
import type { JointSpec } from './joint-spec.js';
import { spertStyleBookkeeping, warmupAdamW } from './training-defaults.js';
import { stsnPreset } from './stsn-preset.js';
import { twoPhasePreset } from './two-phase-preset.js';

/** Names of the built-in presets. */
export type PresetName = 'spert' | 'dixit' | 'ji2020' | 'twophase' | 'stsn';

export const PRESET_NAMES: readonly PresetName[] = ['spert', 'dixit', 'ji2020', 'twophase', 'stsn'];

/** The peak lr of the presets whose papers fine-tune BERT (5e-5 in all four), restored by {@link withEncoder} for `bert:<model>`. */
const BERT_PEAK_LR: Partial<Record<string, number>> = { spert: 5e-5, ji2020: 5e-5, twophase: 5e-5, stsn: 5e-5 };

/**
 * SpERT (Eberts & Ulges 2019, section 4 "Hyperparameters"): span = [max-pool;
 * width embedding 25; CLS], linear entity classifier and sigmoid relation
 * classifier over [e(s1); max-pool of the context between; e(s2)], dropout 0.1
 * before both, weights N(0, 0.02), threshold 0.4; batch size 2, 20 epochs, AdamW
 * (weight decay 0.01, no bias correction as SpERT's code) with linear warmup
 * (10 %) and decay, gradient clipping 1.0; N_e = N_r = 100 negatives, spans up to 10 words.
 *
 * The paper fine-tunes BERT with a peak lr of 5e-5. This preset trains the
 * BiLSTM + char CNN encoder from scratch by default, which needs a larger peak
 * lr: {@link SPERT_BILSTM_PEAK_LR} (3e-3); {@link withEncoder} sets 5e-5 back for
 * `bert:<model>`. Why 3e-3 and not the other presets' 1e-3: fitting 40 CoNLL04
 * sentences with the full-size model (25 epochs, batch 2, `bench-overfit.mjs`),
 * NER / RE+ micro F1 on those sentences reached 46.8 / 33.6 at 1e-3, 68.1 / 64.2
 * at 3e-3 and 79.8 / 73.0 at 5e-3: SpERT's linear classifier over max-pooled
 * states learns slowly from a BiLSTM trained from scratch, and the linear decay
 * leaves the second half of a short run with little lr.
 */
export function spertPreset(): JointSpec {
  return {
    preset: 'spert',
    seed: 1,
    encoder: bilstmEncoder(),
    spanHead: { name: 'spert-span-head.v1', config: { widthDim: 25, useCls: true, initStd: 0.02 } },
    entityClassifier: { name: 'linear-entity-classifier.v1', config: { dropout: 0.1, initStd: 0.02 } },
    relationHead: { name: 'spert-relation-head.v1', config: { dropout: 0.1, threshold: 0.4, initStd: 0.02, maxPairs: 1000 } },
    maxSpanWidth: 10,
    maxKeptSpans: null,
    keptSpansPerWord: 0.4,
    minKeptSpans: 8,
    decodeBatchSize: 8,
    training: {
      epochs: 20,
      batchSize: 2,
      sampling: { strategy: 'spert', negativeEntities: 100, negativeRelations: 100, maxWidth: 10 },
      lossReduction: 'mean',
      loss: { kind: 'weighted-sum', entityWeight: 1, relationWeight: 1 },
      optimizer: warmupAdamW({ peakLr: SPERT_BILSTM_PEAK_LR }),
      ...spertStyleBookkeeping(),
    },
  };
}

/** The peak lr of the `spert` preset with the BiLSTM encoder (see {@link spertPreset}). */
export const SPERT_BILSTM_PEAK_LR = 3e-3;

/**
 * Dixit & Al-Onaizan 2019 (section 4): the BiLSTM + char CNN encoder, span =
 * [x*_START; x*_END; attention head word; width 20] (the attention averages the
 * encoder's word vectors: `wordVectorDim: "auto"`), MLPs of two 500-unit ReLU
 * layers with dropout 0.2 for entities (softmax over all spans <= 10 words) and
 * relations ([g_i; g_j; g_i * g_j], softmax over ordered pairs of selected
 * spans); both cross-entropies summed; Adam with default parameters (lr 1e-3, no
 * weight decay) annealed by 1 % every 100 iterations; minibatch 1; early stopping
 * after 20 dev evaluations without improvement (one evaluation per epoch here,
 * at most 100 epochs).
 */
export function dixitPreset(): JointSpec {
  return {
    preset: 'dixit',
    seed: 1,
    encoder: bilstmEncoder(),
    spanHead: { name: 'dixit-span-head.v1', config: { widthDim: 20, widthDropout: 0.2, useCls: false, wordVectorDim: 'auto', attentionHiddenDims: [500, 500], attentionDropout: 0.2 } },
    entityClassifier: { name: 'mlp-entity-classifier.v1', config: { hiddenDims: [500, 500], dropout: 0.2 } },
    relationHead: { name: 'dixit-relation-head.v1', config: { hiddenDims: [500, 500], dropout: 0.2, maxPairs: 1000 } },
    maxSpanWidth: 10,
    maxKeptSpans: null,
    keptSpansPerWord: 0.4,
    minKeptSpans: 8,
    decodeBatchSize: 8,
    training: {
      epochs: 100,
      batchSize: 1,
      sampling: { strategy: 'all-spans', relationCandidates: 'selected', maxSelectedSpans: 40 },
      lossReduction: 'sum',
      loss: { kind: 'weighted-sum', entityWeight: 1, relationWeight: 1 },
      optimizer: {
        lr: { kind: 'step-decay', lr: 1e-3, factor: 0.99, every: 100 },
        weightDecay: 0,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        biasCorrection: true,
      },
      clipNorm: null,
      earlyStoppingPatience: 20,
      selectionMetric: 'rePlus',
      checkpointEverySteps: 200,
      checkpointEverySeconds: 300,
    },
  };
}

/** A fresh copy of a preset, by name; throws listing the known names. */
export function preset(name: string): JointSpec {
  switch (name) {
    case 'spert':
      return spertPreset();
    case 'dixit':
      return dixitPreset();
    case 'ji2020':
      return ji2020Preset();
    case 'twophase':
      return twoPhasePreset();
    case 'stsn':
      return stsnPreset();
    default:
      throw new Error(`unknown preset "${name}"; known: ${PRESET_NAMES.join(', ')}`);
  }
}

/**
 * The spec with another encoder, from a short form:
 * - `bilstm`: the BiLSTM + char CNN encoder (the presets' default);
 * - `bert:<folder or Hugging Face id>`: a fine-tuned BERT-family encoder
 *   (max-pooled over sub-words). For the presets whose paper fine-tunes BERT
 *   (SpERT, Ji 2020, two-phase, STSN) this also restores the paper's peak lr 5e-5.
 */
export function withEncoder(spec: JointSpec, encoder: string): JointSpec {
  if (encoder === 'bilstm') return { ...spec, encoder: bilstmEncoder() };
  if (encoder.startsWith('bert:') && encoder.length > 'bert:'.length) {
    const bert: ComponentSpec = { name: 'bert-encoder.v1', config: { model: encoder.slice('bert:'.length), pooling: 'max' } };
    const out: JointSpec = { ...spec, encoder: { ...bert, vocabulary: spec.encoder.vocabulary } };
    const lr = spec.training.optimizer.lr;
    const bertLr = BERT_PEAK_LR[spec.preset];
    if (bertLr !== undefined && lr.kind === 'linear-warmup-decay') {
      out.training = { ...spec.training, optimizer: { ...spec.training.optimizer, lr: { ...lr, peakLr: bertLr } } };
    }
    if (spec.preset === 'stsn') {
      // The BiLSTM-only changes of the stsn preset (see stsnPreset): back to the paper's post-LN stack and one lr.
      const { lrMultipliers: _bilstmOnly, ...optimizer } = out.training.optimizer;
      out.training = { ...out.training, optimizer };
      if (spec.tokenInteraction) out.tokenInteraction = { ...spec.tokenInteraction, config: { ...spec.tokenInteraction.config, norm: 'post', inputLayerNorm: false } };
    }
    return out;
  }
  throw new Error(`unknown encoder "${encoder}"; expected "bilstm" or "bert:<model folder or Hugging Face id>"`);
}
