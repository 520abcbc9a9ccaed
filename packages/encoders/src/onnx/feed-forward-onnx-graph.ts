import type { FeedForwardLayers } from '@spanrel/tensor-core';
import { encodeOnnxModel, OnnxDataType, type OnnxValueInfo } from './onnx-proto.js';
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

/** Appends the MLP's layers to `g` after `h` (`[N, in]`): per layer `MatMul`, `Add` of the bias, activation, as `Dense.apply`. */
function appendLayers(g: OnnxGraphBuilder, input: string, mlp: FeedForwardLayers): string {
  let h = input; // [N, in]
  mlp.layers.forEach((layer, i) => {
    const p = `layers.${i}`;
    if (!(layer.activation in ACTIVATION_OPS)) throw new Error(`feed-forward-onnx-graph: no ONNX form of activation ${JSON.stringify(layer.activation)}`);
    const kernel = g.floats(`${p}.kernel`, [layer.inputDim, layer.outputDim], layer.kernel.dataSync() as Float32Array); // [in, out]
    h = g.op('MatMul', [h, kernel], undefined, p); // [N, out]
    if (layer.bias) h = g.op('Add', [h, g.floats(`${p}.bias`, [layer.outputDim], layer.bias.dataSync() as Float32Array)], undefined, p); // [N, out]
    const act = ACTIVATION_OPS[layer.activation];
    if (act) h = g.op(act, [h], undefined, p); // [N, out]
  });
  return h;
}

function encode(g: OnnxGraphBuilder, name: string, inputs: OnnxValueInfo[], output: string, mlp: FeedForwardLayers): Uint8Array {
  const outputDim = mlp.layers[mlp.layers.length - 1].outputDim;
  const graph = g.build(name, inputs, [{ name: output, dataType: OnnxDataType.FLOAT, dims: ['rows', outputDim] }]);
  return encodeOnnxModel({ irVersion: IR_VERSION, opsetVersion: OPSET, producerName: 'spanrel', graph });
}

/**
 * The ONNX model of an MLP's inference forward pass (tensor-core's
 * `FeedForward` without dropout), op for op as `Dense.apply`, with the current
 * weights as initializers (read now: build again after they change).
 * `x` float32 `[N, in]` in, `y` float32 `[N, out]` out.
 */
export function buildFeedForwardOnnxModel(mlp: FeedForwardLayers): Uint8Array {
  const g = new OnnxGraphBuilder();
  const x = g.input(FEED_FORWARD_ONNX_INPUT); // [N, in]
  g.output(FEED_FORWARD_ONNX_OUTPUT, appendLayers(g, x, mlp));
  return encode(g, 'spanrel-feed-forward', [{ name: FEED_FORWARD_ONNX_INPUT, dataType: OnnxDataType.FLOAT, dims: ['rows', mlp.layers[0].inputDim] }], FEED_FORWARD_ONNX_OUTPUT, mlp);
}

/** Inputs of a pair MLP graph: span representations (float32 `[N, Ds]`) and the pairs' row indices (int32 `[M]` each). */
export const PAIR_FEED_FORWARD_ONNX_INPUTS = { reps: 'reps', heads: 'heads', tails: 'tails' } as const;

/**
 * The ONNX model of an MLP over pairs of rows, `mlp([r_h; r_t; r_h * r_t])`
 * (tensor-core's `pairFeedForward`): `Gather` of the two rows, `Mul`,
 * `Concat`, then the MLP as {@link buildFeedForwardOnnxModel}. `y` float32
 * `[M, out]` out.
 */
export function buildPairFeedForwardOnnxModel(mlp: FeedForwardLayers): Uint8Array {
  const g = new OnnxGraphBuilder();
  const I = PAIR_FEED_FORWARD_ONNX_INPUTS;
  const reps = g.input(I.reps); // [N, Ds]
  const head = g.op('Gather', [reps, g.input(I.heads)], { axis: 0 }, 'pairs'); // [M, Ds]
  const tail = g.op('Gather', [reps, g.input(I.tails)], { axis: 0 }, 'pairs'); // [M, Ds]
  const x = g.op('Concat', [head, tail, g.op('Mul', [head, tail], undefined, 'pairs')], { axis: 1 }, 'pairs'); // [M, 3 Ds]
  g.output(FEED_FORWARD_ONNX_OUTPUT, appendLayers(g, x, mlp));
  const dim = mlp.layers[0].inputDim / 3;
  return encode(
    g,
    'spanrel-pair-feed-forward',
    [
      { name: I.reps, dataType: OnnxDataType.FLOAT, dims: ['spans', dim] },
      { name: I.heads, dataType: OnnxDataType.INT32, dims: ['rows'] },
      { name: I.tails, dataType: OnnxDataType.INT32, dims: ['rows'] },
    ],
    FEED_FORWARD_ONNX_OUTPUT,
    mlp,
  );
}
