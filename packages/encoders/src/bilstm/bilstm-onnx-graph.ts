import type { BiLstm, Lstm } from '@spanrel/tensor-core';
import { encodeOnnxModel, OnnxDataType } from '../onnx/onnx-proto.js';
import { OnnxGraphBuilder } from '../onnx/onnx-graph-builder.js';

/** Inputs of the graph: the word representations (float32 `[B, T, D]`), the sentence lengths (int32 `[B]`) and the mask (float32 `[B, T]`). */
export const BILSTM_ONNX_INPUTS = { x: 'x', lengths: 'lengths', mask: 'mask' } as const;
/** Output of the graph: float32 `[B, T, 2H]`, what `BiLstm.apply(x, mask, false)` returns. */
export const BILSTM_ONNX_OUTPUT = 'hidden';

const OPSET = 17;
const IR_VERSION = 8;

/**
 * One direction's weights in ONNX's `LSTM` layout: tensor-core's
 * `kernel [D, 4H]` / `recurrentKernel [H, 4H]` have the gate blocks
 * `[i | f | o | g]` as columns; ONNX wants `W [4H, D]` / `R [4H, H]` with the
 * blocks `[i | o | f | c]` as rows, and the bias as `[Wb | Rb]` (`Rb` = 0 here).
 */
function onnxLstmWeights(lstm: Lstm): { W: Float32Array; R: Float32Array; B: Float32Array } {
  const H = lstm.outputDim;
  const D = lstm.inputDim;
  const ONNX_FROM_OURS = [0, 2, 1, 3]; // ONNX block k (i, o, f, c) is our block ONNX_FROM_OURS[k] (i, f, o, g)
  const transposeBlocks = (values: Float32Array, rows: number): Float32Array => {
    const out = new Float32Array(4 * H * rows); // [4H, rows]
    for (let k = 0; k < 4; k++) {
      const ours = ONNX_FROM_OURS[k] * H;
      for (let j = 0; j < H; j++) {
        const row = (k * H + j) * rows;
        for (let r = 0; r < rows; r++) out[row + r] = values[r * 4 * H + ours + j];
      }
    }
    return out;
  };
  const bias = lstm.bias.dataSync() as Float32Array; // [4H]
  const B = new Float32Array(8 * H); // [Wb (4H) | Rb (4H) = 0]
  for (let k = 0; k < 4; k++) B.set(bias.subarray(ONNX_FROM_OURS[k] * H, (ONNX_FROM_OURS[k] + 1) * H), k * H);
  return { W: transposeBlocks(lstm.kernel.dataSync() as Float32Array, D), R: transposeBlocks(lstm.recurrentKernel.dataSync() as Float32Array, H), B };
}

/**
 * The ONNX model of a {@link BiLstm}'s inference forward pass (no dropout),
 * with its current weights as initializers: per layer one bidirectional
 * `LSTM` node over the sentences' own lengths (`sequence_lens`: the backward
 * direction starts at each sentence's last word, as tensor-core's reading
 * order), padding zeroed as `Lstm.apply` does, and the highway connection
 * `r * out + (1 - r) * in`, `r = sigmoid(out W_r + b_r)`, op for op as
 * `BiLstm.apply`. Time-major inside; `[B, T, 2H]` out.
 *
 * The weights are read now (`dataSync`): build again after they change.
 */
export function buildBiLstmOnnxModel(bilstm: BiLstm): Uint8Array {
  const H = bilstm.hiddenDim;
  const g = new OnnxGraphBuilder();
  const x = g.input(BILSTM_ONNX_INPUTS.x); // [B, T, D]
  const lengths = g.input(BILSTM_ONNX_INPUTS.lengths); // [B] int32
  const mask = g.input(BILSTM_ONNX_INPUTS.mask); // [B, T]
  const timeMask = g.op('Unsqueeze', [g.op('Transpose', [mask], { perm: { ints: [1, 0] } }), g.int64s('axis_2', [2])]); // [T, B, 1]
  const timeMajorShape = g.int64s('shape_t_b_2h', [0, 0, 2 * H]);
  let input = g.op('Transpose', [x], { perm: { ints: [1, 0, 2] } }); // [T, B, D]
  bilstm.stack.forEach((layer, l) => {
    const p = `layers.${l}`;
    const fwd = onnxLstmWeights(layer.forward);
    const bwd = onnxLstmWeights(layer.backward);
    const D = layer.forward.inputDim;
    const stackDirections = (a: Float32Array, b: Float32Array) => {
      const both = new Float32Array(a.length + b.length);
      both.set(a, 0);
      both.set(b, a.length);
      return both;
    };
    const W = g.floats(`${p}.W`, [2, 4 * H, D], stackDirections(fwd.W, bwd.W)); // [2, 4H, D]
    const R = g.floats(`${p}.R`, [2, 4 * H, H], stackDirections(fwd.R, bwd.R)); // [2, 4H, H]
    const B = g.floats(`${p}.B`, [2, 8 * H], stackDirections(fwd.B, bwd.B)); // [2, 8H]
    const Y = g.op('LSTM', [input, W, R, B, lengths], { hidden_size: H, direction: { string: 'bidirectional' } }, p); // [T, 2, B, H]
    const both = g.op('Reshape', [g.op('Transpose', [Y], { perm: { ints: [0, 2, 1, 3] } }, p), timeMajorShape], undefined, p); // [T, B, 2H] = [fwd ; bwd]
    let out = g.op('Mul', [both, timeMask], undefined, p); // [T, B, 2H], 0 at padding
    if (layer.highway) {
      const hw = layer.highway;
      const kernel = g.floats(`${p}.highway.kernel`, [2 * H, 2 * H], hw.kernel.dataSync() as Float32Array); // [2H, 2H]
      let gate = g.op('MatMul', [out, kernel], undefined, p); // [T, B, 2H]
      if (hw.bias) gate = g.op('Add', [gate, g.floats(`${p}.highway.bias`, [2 * H], hw.bias.dataSync() as Float32Array)], undefined, p);
      const carry = g.op('Sigmoid', [gate], undefined, p); // [T, B, 2H] in (0, 1)
      const kept = g.op('Mul', [carry, out], undefined, p); // r * out
      const passed = g.op('Mul', [g.op('Sub', [g.scalar(1), carry], undefined, p), input], undefined, p); // (1 - r) * in
      out = g.op('Add', [kept, passed], undefined, p); // [T, B, 2H]
    }
    input = out;
  });
  g.output(BILSTM_ONNX_OUTPUT, g.op('Transpose', [input], { perm: { ints: [1, 0, 2] } })); // [B, T, 2H]
  const graph = g.build(
    'spanrel-bilstm',
    [
      { name: BILSTM_ONNX_INPUTS.x, dataType: OnnxDataType.FLOAT, dims: ['batch', 'sequence', bilstm.inputDim] },
      { name: BILSTM_ONNX_INPUTS.lengths, dataType: OnnxDataType.INT32, dims: ['batch'] },
      { name: BILSTM_ONNX_INPUTS.mask, dataType: OnnxDataType.FLOAT, dims: ['batch', 'sequence'] },
    ],
    [{ name: BILSTM_ONNX_OUTPUT, dataType: OnnxDataType.FLOAT, dims: ['batch', 'sequence', 2 * H] }],
  );
  return encodeOnnxModel({ irVersion: IR_VERSION, opsetVersion: OPSET, producerName: 'spanrel', graph });
}
