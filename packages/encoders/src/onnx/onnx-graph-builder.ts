import { OnnxDataType, type OnnxAttributeValue, type OnnxGraph, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './onnx-proto.js';

/**
 * Builds an ONNX graph one op at a time: each `op` call adds a node with one
 * output, named after the node (`"<prefix>/<Op>_<k>"`), and returns that name for
 * the next op's inputs; constants become initializers. Names only need to be
 * unique; they make a graph printed by a tool readable.
 */
export class OnnxGraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly names = new Set<string>();
  private readonly scalars = new Map<number, string>();
  private count = 0;

  private unique(name: string): string {
    if (this.names.has(name)) throw new Error(`onnx-graph: the name "${name}" is used twice`);
    this.names.add(name);
    return name;
  }

  /** A float32 initializer (the values are referenced until the model is encoded, not copied). */
  floats(name: string, dims: readonly number[], values: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`onnx-graph: initializer "${name}" has ${values.length} values for dims [${dims.join(', ')}]`);
    this.initializers.push({ name: this.unique(name), dataType: OnnxDataType.FLOAT, dims, values });
    return name;
  }

  /** An int64 initializer of shape `[values.length]` (shapes, axes, slice bounds). */
  int64s(name: string, values: readonly number[]): string {
    this.initializers.push({ name: this.unique(name), dataType: OnnxDataType.INT64, dims: [values.length], values });
    return name;
  }

  /** A float32 scalar initializer, one per distinct value. */
  scalar(value: number): string {
    const known = this.scalars.get(value);
    if (known) return known;
    const name = this.floats(`const_${this.scalars.size}`, [], Float32Array.of(value));
    this.scalars.set(value, name);
    return name;
  }

  /** Adds a node with one output; returns the output's name. */
  op(opType: string, inputs: readonly string[], attributes?: Record<string, OnnxAttributeValue>, prefix = ''): string {
    const name = this.unique(`${prefix}${prefix ? '/' : ''}${opType}_${this.count++}`);
    this.nodes.push({ opType, inputs, outputs: [name], name, attributes });
    return name;
  }

  /** Adds an `Identity` node that gives `value` the output name `name`. */
  output(name: string, value: string): string {
    this.nodes.push({ opType: 'Identity', inputs: [value], outputs: [this.unique(name)], name: `${name}/Identity` });
    return name;
  }

  /** Declares a graph input name (so no initializer or node takes it). */
  input(name: string): string {
    return this.unique(name);
  }

  build(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs };
  }
}
