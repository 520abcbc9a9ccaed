/**
 * The dropout generators inside a model, so that a resumed run draws the same
 * dropout masks as an uninterrupted one.
 *
 * Every module keeps its dropout seeds in a tensor-core `Rng` (mulberry32, one
 * 32-bit state), created from the module's seed and advanced at every training
 * forward pass. A checkpoint stores each generator's state under the property
 * path that reaches it (`encoder.lstm.dropoutRng`), and resuming writes them
 * back. `Rng` exposes no accessor for its state yet, so this reads and writes
 * its `state` field directly; modules are found by walking the model's
 * object graph (children, arrays, maps), never into tensors or typed arrays.
 */
import * as tf from '@tensorflow/tfjs-core';

/** A generator as tensor-core's `Rng` holds it. */
interface RngLike {
  state: number;
  next(): number;
  seed(): number;
}

function isRng(value: object): value is RngLike {
  const v = value as Partial<RngLike>;
  return typeof v.state === 'number' && typeof v.next === 'function' && typeof v.seed === 'function';
}

function skip(value: unknown): boolean {
  return (
    typeof value !== 'object' ||
    value === null ||
    value instanceof tf.Tensor ||
    ArrayBuffer.isView(value) ||
    value instanceof ArrayBuffer ||
    value instanceof Set ||
    value instanceof Promise
  );
}

/**
 * Every `Rng` reachable from `roots`, by the first (depth-first, in property
 * order) path that reaches it. Paths are stable for models built from the same config.
 */
export function findRngs(roots: Record<string, unknown>): Map<string, RngLike> {
  const found = new Map<string, RngLike>();
  const seen = new Set<object>();
  const visit = (value: unknown, path: string): void => {
    if (skip(value)) return;
    const obj = value as object;
    if (seen.has(obj)) return;
    seen.add(obj);
    if (isRng(obj)) {
      found.set(path, obj);
      return;
    }
    if (obj instanceof Map) {
      for (const [key, item] of obj) if (!skip(item)) visit(item, `${path}[${String(key)}]`);
      return;
    }
    if (Array.isArray(obj)) {
      obj.forEach((item, i) => visit(item, `${path}[${i}]`));
      return;
    }
    for (const key of Object.keys(obj)) visit((obj as Record<string, unknown>)[key], `${path}.${key}`);
  };
  for (const [name, root] of Object.entries(roots)) visit(root, name);
  return found;
}

/** The state of every generator, by path (plain JSON for a checkpoint). */
export function exportRngStates(roots: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries([...findRngs(roots)].map(([path, rng]) => [path, rng.state]));
}

/**
 * Writes saved states back. Throws, naming them, when the model's generators
 * and the saved ones differ (a checkpoint of another model), before changing any.
 */
export function importRngStates(roots: Record<string, unknown>, states: Record<string, number>, source = 'checkpoint'): void {
  const rngs = findRngs(roots);
  const missing = [...rngs.keys()].filter((path) => !(path in states));
  const unexpected = Object.keys(states).filter((path) => !rngs.has(path));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new Error(`${source}: the dropout generators do not match the model (missing: ${missing.join(', ') || 'none'}; unexpected: ${unexpected.join(', ') || 'none'})`);
  }
  for (const [path, rng] of rngs) rng.state = states[path] >>> 0;
}
