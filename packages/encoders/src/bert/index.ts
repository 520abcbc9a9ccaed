/**
 * BERT-family encoders (BERT, SciBERT, ALBERT) in TensorFlow.js, fine-tunable,
 * with weights from Hugging Face checkpoints and tokenizers from transformers.js:
 * the Node entry's part (the encoder itself, its registration and tokenizer are
 * exported by `portable.ts`, for the browser too).
 */
export { BertModel, type BertDropout } from './bert-model.js';
export { BertEmbeddings } from './bert-embeddings.js';
export { BertLayer } from './bert-layer.js';
export { BERT_FAMILIES, readBertArchitecture, layerSchedule, distinctLayerCount, type BertArchitecture, type BertFamily } from './hf-config.js';
export { HF_ACTIVATIONS, hfActivation, geluTanh, type HfActivation } from './hf-activation.js';
export { hfTensorNames, canonicalHfName, loadHfWeights, exportHfWeights, IGNORED_HF_TENSORS, type HfTensorName, type HfLoadReport } from './hf-weights.js';
export { buildBertInputs, type BertInputs, type BertInputLayout } from './bert-inputs.js';
export {
  MODEL_FILES,
  CACHE_ENV_VAR,
  defaultCacheDir,
  cachedModelFolder,
  isHubModelId,
  findModelFolder,
  downloadModelFiles,
  type ModelLocation,
  type DownloadOptions,
} from './model-files.js';
export { buildBertOnnxModel, BERT_ONNX_INPUTS, BERT_ONNX_OUTPUT } from './bert-onnx-graph.js';
export { OnnxBertRunner } from './onnx-bert-runner.js';
