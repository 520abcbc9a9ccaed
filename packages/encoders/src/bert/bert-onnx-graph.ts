import { encodeOnnxModel, OnnxDataType } from '../onnx/onnx-proto.js';
import { OnnxGraphBuilder } from '../onnx/onnx-graph-builder.js';
import type { BertModel } from './bert-model.js';
import { layerSchedule } from './hf-config.js';
import type { HfActivation } from './hf-activation.js';

/** Input names of the graph (int64 `[B, N]` each), as Hugging Face ONNX exports of BERT name them. */
export const BERT_ONNX_INPUTS = ['input_ids', 'attention_mask', 'token_type_ids'] as const;
/** Output name of the graph: float32 `[B, N, D]`, what {@link BertModel.apply} returns. */
export const BERT_ONNX_OUTPUT = 'last_hidden_state';

/** The opset of the graph: 17 is the first with `LayerNormalization`. */
const OPSET = 17;
/** `ir_version` 8 is the one that goes with opset 17. */
const IR_VERSION = 8;
/** What tensor-core's `maskedSoftmax` adds to masked logits (`-FLT_MAX`): exp of it underflows to exactly 0. */
const MIN_FLOAT32 = -3.4028234663852886e38;
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/**
 * The ONNX model of a {@link BertModel}'s forward pass at inference (no
 * dropout), with the module's current weights as initializers: sub-word ids,
 * attention mask and token types in (int64 `[B, N]`), last-layer states out
 * (float32 `[B, N, D]`). Standard ops of opset 17 only; it computes what the tfjs
 * modules compute, op for op (`BertEmbeddings`, `BertLayer`, `MultiHeadAttention`
 * with tensor-core's masked softmax, `LayerNorm`, `hfActivation`), so the two
 * agree to float rounding. ALBERT's shared layers reuse one set of initializers.
 *
 * The weights are read now (`dataSync`): build again after they change.
 */
export function buildBertOnnxModel(bert: BertModel): Uint8Array {
  const arch = bert.arch;
  const params = bert.parameters();
  const g = new OnnxGraphBuilder();
  const weight = (name: string): string => {
    const v = params.get(name);
    if (!v) throw new Error(`bert-onnx-graph: the model has no parameter "${name}"`);
    return g.floats(name, v.shape, v.dataSync() as Float32Array);
  };
  const dense = (x: string, name: string, prefix: string) => g.op('Add', [g.op('MatMul', [x, weight(`${name}.kernel`)], undefined, prefix), weight(`${name}.bias`)], undefined, prefix);
  const layerNorm = (x: string, name: string, prefix: string) =>
    g.op('LayerNormalization', [x, weight(`${name}.gamma`), weight(`${name}.beta`)], { axis: -1, epsilon: { float: arch.layerNormEps } }, prefix);

  const inputIds = g.input('input_ids'); // [B, N]
  const attentionMask = g.input('attention_mask'); // [B, N]
  const typeIds = g.input('token_type_ids'); // [B, N]

  // Embeddings: (word + token type) + position, LayerNorm (+ ALBERT's projection).
  let p = 'embeddings';
  const word = g.op('Gather', [weight('embeddings.word.weight'), inputIds], { axis: 0 }, p); // [B, N, E]
  const type = g.op('Gather', [weight('embeddings.tokenType.weight'), typeIds], { axis: 0 }, p); // [B, N, E]
  const length = g.op('Slice', [g.op('Shape', [inputIds], undefined, p), g.int64s('one', [1]), g.int64s('two', [2])], undefined, p); // [1] = N
  const position = g.op('Slice', [weight('embeddings.position.weight'), g.int64s('zero', [0]), length, g.int64s('axis0', [0])], undefined, p); // [N, E]
  const summed = g.op('Add', [g.op('Add', [word, type], undefined, p), position], undefined, p); // [B, N, E]
  let h = layerNorm(summed, 'embeddings.norm', p); // [B, N, E]
  if (bert.embeddings.projection) h = dense(h, 'embeddings.projection', p); // [B, N, D]

  // The additive mask of every layer: 0 at real keys, -FLT_MAX at padding.
  p = 'mask';
  const keep = g.op('Cast', [attentionMask], { to: OnnxDataType.FLOAT }, p); // [B, N]
  const penalty = g.op('Mul', [g.op('Sub', [g.scalar(1), keep], undefined, p), g.scalar(MIN_FLOAT32)], undefined, p); // [B, N]
  const keyPenalty = g.op('Unsqueeze', [penalty, g.int64s('axes12', [1, 2])], undefined, p); // [B, 1, 1, N] shared by heads and queries

  const heads = arch.numHeads;
  const headDim = arch.hiddenSize / heads; // d
  const headShape = g.int64s('head_shape', [0, 0, heads, headDim]); // [B, N, h, d] (0 = keep that dim)
  const mergedShape = g.int64s('merged_shape', [0, 0, arch.hiddenSize]); // [B, N, D]
  const scale = g.scalar(1 / Math.sqrt(headDim));
  const layerWeights = new Map<number, Map<string, string>>(); // ALBERT: a layer applied again reuses its initializers
  layerSchedule(arch).forEach((k, depth) => {
    p = `layer_${depth}`;
    if (!layerWeights.has(k)) layerWeights.set(k, new Map());
    const seen = layerWeights.get(k)!;
    const w = (name: string) => {
      const full = `layers.${k}.${name}`;
      if (!seen.has(full)) seen.set(full, weight(full));
      return seen.get(full)!;
    };
    const linear = (x: string, name: string) => g.op('Add', [g.op('MatMul', [x, w(`${name}.kernel`)], undefined, p), w(`${name}.bias`)], undefined, p);
    const norm = (x: string, name: string) => g.op('LayerNormalization', [x, w(`${name}.gamma`), w(`${name}.beta`)], { axis: -1, epsilon: { float: arch.layerNormEps } }, p);
    const split = (x: string, perm: number[]) => g.op('Transpose', [g.op('Reshape', [x, headShape], undefined, p)], { perm: { ints: perm } }, p);

    const q = split(linear(h, 'attention.query'), [0, 2, 1, 3]); // [B, h, N, d]
    const kT = split(linear(h, 'attention.key'), [0, 2, 3, 1]); // [B, h, d, N]
    const v = split(linear(h, 'attention.value'), [0, 2, 1, 3]); // [B, h, N, d]
    const scores = g.op('Add', [g.op('Mul', [g.op('MatMul', [q, kT], undefined, p), scale], undefined, p), keyPenalty], undefined, p); // [B, h, N, N]
    const weights = g.op('Softmax', [scores], { axis: -1 }, p); // [B, h, N, N] padding keys -> 0
    const context = g.op('MatMul', [weights, v], undefined, p); // [B, h, N, d]
    const merged = g.op('Reshape', [g.op('Transpose', [context], { perm: { ints: [0, 2, 1, 3] } }, p), mergedShape], undefined, p); // [B, N, D]
    // tfjs multiplies the attention output by "query has a key": always 1 here ([CLS] is never padding).
    const attended = linear(merged, 'attention.output'); // [B, N, D]
    const a = norm(g.op('Add', [h, attended], undefined, p), 'attentionNorm'); // [B, N, D]
    const inner = activation(g, linear(a, 'intermediate'), arch.hiddenAct, p); // [B, N, I]
    h = norm(g.op('Add', [a, linear(inner, 'output')], undefined, p), 'outputNorm'); // [B, N, D]
  });
  g.output(BERT_ONNX_OUTPUT, h);

  const dims = ['batch', 'sequence'];
  const graph = g.build(
    `spanrel-${arch.family}`,
    BERT_ONNX_INPUTS.map((name) => ({ name, dataType: OnnxDataType.INT64, dims })),
    [{ name: BERT_ONNX_OUTPUT, dataType: OnnxDataType.FLOAT, dims: [...dims, arch.hiddenSize] }],
  );
  return encodeOnnxModel({ irVersion: IR_VERSION, opsetVersion: OPSET, producerName: 'spanrel', graph });
}

/** `hfActivation` in ONNX ops, the same formula as the tfjs one. */
function activation(g: OnnxGraphBuilder, x: string, name: HfActivation, p: string): string {
  const mul = (a: string, b: string) => g.op('Mul', [a, b], undefined, p);
  const add = (a: string, b: string) => g.op('Add', [a, b], undefined, p);
  switch (name) {
    case 'gelu':
    case 'gelu_python': // 0.5 x (1 + erf(x / sqrt 2)), as tensor-core's gelu
      return mul(mul(x, g.scalar(0.5)), add(g.scalar(1), g.op('Erf', [mul(x, g.scalar(Math.SQRT1_2))], undefined, p)));
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast': {
      // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), as geluTanh
      const inner = mul(add(x, mul(g.op('Pow', [x, g.scalar(3)], undefined, p), g.scalar(0.044715))), g.scalar(SQRT_2_OVER_PI));
      return mul(mul(x, g.scalar(0.5)), add(g.scalar(1), g.op('Tanh', [inner], undefined, p)));
    }
    case 'relu':
      return g.op('Relu', [x], undefined, p);
    case 'silu':
    case 'swish':
      return mul(x, g.op('Sigmoid', [x], undefined, p));
    default:
      throw new Error(`bert-onnx-graph: no ONNX form of hidden_act ${JSON.stringify(name)}`);
  }
}
