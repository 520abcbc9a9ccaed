/**
 * The few ONNX messages a model graph needs (field numbers of `onnx/onnx.proto`,
 * https://github.com/onnx/onnx/blob/main/onnx/onnx.proto), written from plain
 * objects with {@link ProtobufWriter}: ModelProto, OperatorSetIdProto,
 * GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto (TypeProto.Tensor,
 * TensorShapeProto).
 */
import { ProtobufWriter } from './protobuf-writer.js';

/** `TensorProto.DataType` values used here. */
export const OnnxDataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

/** `AttributeProto.AttributeType` values used here. */
const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, INTS: 7 } as const;

/** A constant tensor (an initializer): float32 values, or int64 values given as numbers. */
export type OnnxTensor =
  | { name: string; dataType: typeof OnnxDataType.FLOAT; dims: readonly number[]; values: Float32Array }
  | { name: string; dataType: typeof OnnxDataType.INT64; dims: readonly number[]; values: readonly number[] };

/** A node attribute: a float, an int, a string (`{ string }`, e.g. an LSTM's direction), or a list of ints (`{ ints: [...] }`). */
export type OnnxAttributeValue = number | { float: number } | { string: string } | { ints: readonly number[] };

export interface OnnxNode {
  opType: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name?: string;
  /** A plain number is an INT attribute; `{ float }` a FLOAT one; `{ string }` a STRING one; `{ ints }` an INTS one. */
  attributes?: Readonly<Record<string, OnnxAttributeValue>>;
}

/** A graph input or output: name, element type, and dims (a number, or a symbolic name such as `"batch"`). */
export interface OnnxValueInfo {
  name: string;
  dataType: OnnxDataType;
  dims: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  /** `ir_version` (8 goes with opset 17). */
  irVersion: number;
  /** Version of the default (`ai.onnx`) operator set. */
  opsetVersion: number;
  producerName: string;
  graph: OnnxGraph;
}

function tensorProto(t: OnnxTensor): ProtobufWriter {
  const w = new ProtobufWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name);
  if (t.dataType === OnnxDataType.FLOAT) {
    // raw_data: little-endian float32, as Float32Array stores them on every platform Node runs on.
    return w.bytes(9, new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
  }
  return w.packedInts(7, t.values); // int64_data
}

function attributeProto(name: string, value: OnnxAttributeValue): ProtobufWriter {
  const w = new ProtobufWriter().string(1, name);
  if (typeof value === 'number') return w.int(20, AttributeType.INT).int(3, value);
  if ('float' in value) return w.int(20, AttributeType.FLOAT).float(2, value.float);
  if ('string' in value) return w.int(20, AttributeType.STRING).string(4, value.string);
  return w.int(20, AttributeType.INTS).packedInts(8, value.ints);
}

function nodeProto(n: OnnxNode): ProtobufWriter {
  const w = new ProtobufWriter();
  for (const input of n.inputs) w.string(1, input);
  for (const output of n.outputs) w.string(2, output);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(name, value));
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtobufWriter().int(1, d) : new ProtobufWriter().string(2, d));
  const tensorType = new ProtobufWriter().int(1, v.dataType).message(2, shape);
  return new ProtobufWriter().string(1, v.name).message(2, new ProtobufWriter().message(1, tensorType));
}

function graphProto(g: OnnxGraph): ProtobufWriter {
  const w = new ProtobufWriter();
  for (const n of g.nodes) w.message(1, nodeProto(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, tensorProto(t));
  for (const v of g.inputs) w.message(11, valueInfoProto(v));
  for (const v of g.outputs) w.message(12, valueInfoProto(v));
  return w;
}

/** The serialized `ModelProto` (what an `.onnx` file holds). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const opset = new ProtobufWriter().string(1, '').int(2, model.opsetVersion);
  return new ProtobufWriter()
    .int(1, model.irVersion)
    .string(2, model.producerName)
    .message(7, graphProto(model.graph))
    .message(8, opset)
    .finish();
}
