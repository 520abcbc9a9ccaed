import type { JointSpec } from './joint-spec.js';

/**
 * The ELMo-style BiLSTM + char CNN encoder with Dixit & Al-Onaizan's settings
 * (3 x 200 BiLSTM with highway connections, char CNN 3/4/5 x 50 over 8-dim
 * characters, dropout 0.5 on the word representation and 0.4 on LSTM outputs).
 * Words are a table trained from scratch (100-dim): the paper's fixed GloVe
 * vectors and ELMo are optional here (`wordEmbedding: {mode: "fixed", source}`).
 * Every preset starts from it, so all of them run with no download.
 */
export function bilstmEncoder(): JointSpec['encoder'] {
  return {
    name: 'bilstm-charcnn-encoder.v1',
    config: {
      wordEmbedding: { mode: 'trained', dim: 100 },
      charDim: 8,
      charFilterWidths: [3, 4, 5],
      charFiltersPerWidth: 50,
      lstmHiddenDim: 200,
      lstmLayers: 3,
      highway: true,
      embeddingDropout: 0.5,
      lstmDropout: 0.4,
    },
    vocabulary: { lowercase: true, minCount: 2 },
  };
}

/**
 * The peak learning rate of a linear warmup / decay schedule for a BiLSTM
 * encoder trained from scratch: the BERT papers' 5e-5 is far too small for it.
 */
export const BILSTM_PEAK_LR = 1e-3;
