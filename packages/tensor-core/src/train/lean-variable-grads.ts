/**
 * `tf.variableGrads` that frees memory as the backward pass goes.
 *
 * tfjs' `engine.gradients` keeps every activation saved for the backward pass
 * and every intermediate gradient until the whole backward pass is done, so a
 * training step peaks at about twice what its forward pass holds (measured on
 * `ji2020+glove`'s longest batch: 1.64 GB held after the forward pass, 2.8 GB
 * of wasm heap after the step, which a wasm heap never gives back). Here the
 * tape is walked backward exactly as tfjs does (same nodes, same gradient
 * functions, same accumulation order: the same numbers, bit for bit), but once
 * a node's input gradients are computed, its saved activations and the
 * gradients of its outputs are released, as PyTorch's autograd does.
 *
 * Uses tfjs-core 4.x engine internals (`state.activeTape`, `startTape`,
 * `endTape`, `scopedRun`); inside another gradient computation (higher-order
 * gradients) it defers to `tf.variableGrads`.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A node of tfjs' gradient tape (tfjs-core `tape.ts`, not exported). */
interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: Array<tf.Tensor | null>) => Record<string, () => tf.Tensor>;
}

/** The engine members used here (public in JS, private in tfjs-core's typings). */
interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
}

/**
 * The nodes on a path from `xs` to `y`, their inputs pruned to those that
 * depend on `xs` (tfjs-core's `getFilteredNodesXToY`, which is not exported).
 */
export function tapeNodesFromXsToY(tape: readonly TapeNode[], xs: readonly tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const tensorsFromX = new Set<number>(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    for (const name in node.inputs) {
      if (tensorsFromX.has(node.inputs[name].id)) {
        for (const o of node.outputs) tensorsFromX.add(o.id);
        nodesFromX.add(node.id);
        break;
      }
    }
  }
  const tensorsToY = new Set<number>([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!node.outputs.some((o) => tensorsToY.has(o.id))) continue;
    for (const name in node.inputs) {
      tensorsToY.add(node.inputs[name].id);
      nodesToY.add(node.id);
    }
  }
  const filtered: TapeNode[] = [];
  for (const node of tape) {
    if (!nodesFromX.has(node.id) || !nodesToY.has(node.id)) continue;
    const inputs: Record<string, tf.Tensor> = {};
    for (const name in node.inputs) if (tensorsFromX.has(node.inputs[name].id)) inputs[name] = node.inputs[name];
    filtered.push({ ...node, inputs, outputs: node.outputs });
  }
  return filtered;
}

/**
 * Walks `tape` backward from the gradients in `grads` (tensor id -> gradient;
 * mutated), as tfjs' `backpropagateGradients` does, releasing each node's saved
 * tensors and its outputs' gradients once the node is done. The gradients of
 * `keep` (tensor ids) stay in `grads`.
 */
export function backpropagateFreeing(grads: Map<number, tf.Tensor>, tape: readonly TapeNode[], keep: ReadonlySet<number>): void {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const dys = node.outputs.map((o) => grads.get(o.id) ?? null);
    const names = Object.keys(node.inputs);
    // One scope per node: what its gradient function makes besides the input gradients is freed at once.
    const dxs = tf.tidy(() => {
      const inputGradients = node.gradient!(dys);
      return names.map((name) => {
        if (!(name in inputGradients)) throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`);
        const dx = tf.tidy(() => inputGradients[name]());
        const x = node.inputs[name];
        if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`);
        if (!tf.util.arraysEqual(dx.shape, x.shape)) {
          throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
        }
        return dx;
      });
    });
    names.forEach((name, k) => {
      const x = node.inputs[name];
      const current = grads.get(x.id);
      if (current === undefined) {
        grads.set(x.id, dxs[k]);
      } else {
        grads.set(x.id, tf.add(current, dxs[k]));
        current.dispose();
        if (!isHeld(grads, dxs[k])) dxs[k].dispose();
      }
    });
    // The node is done: nothing earlier on the tape reads its outputs' gradients or its saved tensors.
    for (const o of node.outputs) {
      const dy = grads.get(o.id);
      if (dy === undefined || keep.has(o.id)) continue;
      grads.delete(o.id);
      if (!isHeld(grads, dy)) dy.dispose();
    }
    for (const t of node.saved ?? []) t.dispose();
  }
}

/** Whether `t` is (as an object) one of the gradients still held: a gradient function may pass its `dy` through. */
function isHeld(grads: Map<number, tf.Tensor>, t: tf.Tensor): boolean {
  for (const g of grads.values()) if (g === t) return true;
  return false;
}

/**
 * The value of `f` (a scalar) and its gradients with respect to the trainable
 * variables of `varList`, keyed by variable name, as `tf.variableGrads(f,
 * varList)` gives them (the same values), with the backward pass freeing
 * memory as it goes (see the file comment).
 */
export function leanVariableGrads(f: () => tf.Scalar, varList: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = tf.engine() as unknown as EngineInternals;
  if (engine.state.gradientDepth > 0) return tf.variableGrads(f, varList);
  const xs = varList.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error(`leanVariableGrads: none of the ${varList.length} variables is trainable`);
  try {
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => tf.tidy('forward', f),
    );
    if (!(y instanceof tf.Tensor) || y.rank !== 0) throw new Error('leanVariableGrads: f must return a scalar tensor');
    const filtered = tapeNodesFromXsToY(engine.state.activeTape ?? [], xs, y);
    const found = tf.tidy('backward', () => {
      const map = new Map<number, tf.Tensor>([[y.id, tf.ones(y.shape)]]);
      backpropagateFreeing(map, filtered, new Set(xs.map((x) => x.id)));
      const byName: tf.NamedTensorMap = {};
      for (const x of xs) {
        const g = map.get(x.id);
        if (g) byName[x.name] = g;
      }
      return byName;
    });
    if (Object.keys(found).length === 0) {
      throw new Error('Cannot find a connection between any variable and the result of the loss function y=f(x).');
    }
    return { value: y, grads: found };
  } finally {
    for (const node of engine.state.activeTape ?? []) for (const t of node.saved ?? []) t.dispose();
    engine.state.activeTape = null;
  }
}
