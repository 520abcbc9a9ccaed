export {
  BiLstmCharCnnEncoder,
  type BiLstmCharCnnEncoderAssets,
  type BiLstmCharCnnEncoderConfig,
  type FromDataOptions,
  type WordEmbeddingConfig,
} from './bilstm-char-cnn-encoder.js';
export { CharCnn, type CharCnnConfig } from './char-cnn.js';
export { charIdsOf, type CharIds } from './char-ids.js';
export { decodeWordTable, fixedWordTable, loadWordTableSync, WORD_VECTORS_FILE } from './fixed-word-table.js';
export { registerBiLstmCharCnnEncoder } from './register.js';
export { buildBiLstmOnnxModel, BILSTM_ONNX_INPUTS, BILSTM_ONNX_OUTPUT } from './bilstm-onnx-graph.js';
export { OnnxBiLstmRunner } from './onnx-bilstm-runner.js';
