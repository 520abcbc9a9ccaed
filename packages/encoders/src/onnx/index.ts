/**
 * Inference on onnxruntime-node: a protobuf writer for the ONNX messages a
 * graph needs, a graph builder, the optional loader of onnxruntime-node and
 * the process-wide switch.
 */
export { ProtobufWriter } from './protobuf-writer.js';
export { encodeOnnxModel, OnnxDataType, type OnnxAttributeValue, type OnnxGraph, type OnnxModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.js';
export { OnnxGraphBuilder } from './onnx-graph-builder.js';
export {
  loadOnnxRuntime,
  onnxRuntimeError,
  setOnnxRuntimeLoader,
  defaultOnnxThreads,
  ONNXRUNTIME_PACKAGE,
  type OnnxRuntime,
  type OnnxRuntimeLoader,
  type OnnxSyncSession,
  type OnnxInt64Input,
  type OnnxFloatInput,
  type OnnxInt32Input,
  type OnnxInput,
  type OnnxFloatOutput,
} from './onnxruntime-module.js';
export { setOnnxInference, onnxInferenceEnabled, onnxInferenceThreads, useOnnxInference, type OnnxInferenceOptions } from './onnx-inference-switch.js';
export { buildFeedForwardOnnxModel, buildPairFeedForwardOnnxModel, feedForwardHasOnnxForm, FEED_FORWARD_ONNX_INPUT, FEED_FORWARD_ONNX_OUTPUT, PAIR_FEED_FORWARD_ONNX_INPUTS } from './feed-forward-onnx-graph.js';
export { onnxMatMulRuntime, installOnnxMatMulRuntime, setOnnxMatMul, onnxMatMulEnabled, buildGemmOnnxModel, GEMM_ONNX_NAMES, ONNX_MATMUL_ENV_VAR, MULTI_THREAD_MULTIPLY_ADDS } from './onnx-mat-mul-runtime.js';
export { onnxFeedForwardRuntime, onnxFeedForwardBuilds, installOnnxFeedForwardRuntime } from './onnx-feed-forward-runtime.js';
