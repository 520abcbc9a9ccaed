import type { FeedForwardLayers } from '@spanrel/tensor-core';
import { encodeOnnxModel, OnnxDataType } from './onnx-proto.js';
import { OnnxGraphBuilder } from './onnx-graph-builder.js';

/** Input name of an MLP graph: float32 `[N, inputDim]`. */
export const FEED_FORWARD_ONNX_INPUT = 'x';
/** Output name of an MLP graph: float32 `[N, outputDim]`. */
export const FEED_FORWARD_ONNX_OUTPUT = 'y';

const OPSET = 17;
const IR_VERSION = 8;

/** The ONNX op of each activation an MLP graph supports (`linear`: none); `gelu` is left to tfjs. */
const ACTIVATION_OPS: Record<string, string | null> = { linear: null, relu: 'Relu', tanh: 'Tanh', sigmoid: 'Sigmoid' };

/** True when every layer's activation has an ONNX form here. */
export function feedForwardHasOnnxForm(mlp: FeedForwardLayers): boolean {
  return mlp.layers.every((l) => l.activation in ACTIVATION_OPS);
}

/**
 * The ONNX model of an MLP's inference forward pass (tensor-core's
 * `FeedForward` without dropout): per layer `MatMul`, `Add` of the bias,
 * activation, as `Dense.apply` computes it, with the current weights as
 * initializers (read now: build again after they change).
 */
export function buildFeedForwardOnnxModel(mlp: FeedForwardLayers): Uint8Array {
  const g = new OnnxGraphBuilder();
  let h = g.input(FEED_FORWARD_ONNX_INPUT); // [N, in]
  mlp.layers.forEach((layer, i) => {
    const p = `layers.${i}`;
    if (!(layer.activation in ACTIVATION_OPS)) throw new Error(`feed-forward-onnx-graph: no ONNX form of activation ${JSON.stringify(layer.activation)}`);
    const kernel = g.floats(`${p}.kernel`, [layer.inputDim, layer.outputDim], layer.kernel.dataSync() as Float32Array); // [in, out]
    h = g.op('MatMul', [h, kernel], undefined, p); // [N, out]
    if (layer.bias) h = g.op('Add', [h, g.floats(`${p}.bias`, [layer.outputDim], layer.bias.dataSync() as Float32Array)], undefined, p); // [N, out]
    const act = ACTIVATION_OPS[layer.activation];
    if (act) h = g.op(act, [h], undefined, p); // [N, out]
  });
  g.output(FEED_FORWARD_ONNX_OUTPUT, h);
  const inputDim = mlp.layers[0].inputDim;
  const outputDim = mlp.layers[mlp.layers.length - 1].outputDim;
  const graph = g.build(
    'spanrel-feed-forward',
    [{ name: FEED_FORWARD_ONNX_INPUT, dataType: OnnxDataType.FLOAT, dims: ['rows', inputDim] }],
    [{ name: FEED_FORWARD_ONNX_OUTPUT, dataType: OnnxDataType.FLOAT, dims: ['rows', outputDim] }],
  );
  return encodeOnnxModel({ irVersion: IR_VERSION, opsetVersion: OPSET, producerName: 'spanrel', graph });
}
