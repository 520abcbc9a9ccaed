import * as tf from '@tensorflow/tfjs-core';
import { inPlaceParameterWrites, setFeedForwardRuntime, type FeedForwardLayers, type FeedForwardRuntime } from '@spanrel/tensor-core';
import { buildFeedForwardOnnxModel, buildPairFeedForwardOnnxModel, feedForwardHasOnnxForm, FEED_FORWARD_ONNX_INPUT, FEED_FORWARD_ONNX_OUTPUT, PAIR_FEED_FORWARD_ONNX_INPUTS } from './feed-forward-onnx-graph.js';
import { onnxInferenceThreads, useOnnxInference } from './onnx-inference-switch.js';
import type { OnnxRuntime, OnnxSyncSession } from './onnxruntime-module.js';

/** One MLP's session and what it was built from. */
interface Entry {
  session: OnnxSyncSession;
  runtime: OnnxRuntime;
  /** The weights' data ids when it was built (`Variable.assign` gives a new one). */
  builtFrom: object[];
  /** tensor-core's count of in-place parameter writes then (the fused AdamW on cpu). */
  builtAtWrites: number;
  threads: number;
}

/** The graphs an MLP may get: on its rows, or on pairs of rows. */
type GraphKind = 'rows' | 'pairs';
const BUILDERS: Record<GraphKind, (mlp: FeedForwardLayers) => Uint8Array> = { rows: buildFeedForwardOnnxModel, pairs: buildPairFeedForwardOnnxModel };
const sessions: Record<GraphKind, WeakMap<FeedForwardLayers, Entry>> = { rows: new WeakMap(), pairs: new WeakMap() };
/** Frees a session's native memory when its MLP is garbage-collected. */
const releaser = new FinalizationRegistry<OnnxSyncSession>((session) => session.release());
let builds = 0;

function weightIds(mlp: FeedForwardLayers): object[] {
  const ids: object[] = [];
  for (const l of mlp.layers) {
    ids.push(l.kernel.dataId as object);
    if (l.bias) ids.push(l.bias.dataId as object);
  }
  return ids;
}

function fresh(entry: Entry, mlp: FeedForwardLayers, runtime: OnnxRuntime, threads: number): boolean {
  if (entry.runtime !== runtime || entry.threads !== threads || entry.builtAtWrites !== inPlaceParameterWrites()) return false;
  const ids = weightIds(mlp);
  return ids.length === entry.builtFrom.length && ids.every((id, i) => id === entry.builtFrom[i]);
}

/** The MLP's session, built (again) when missing or when a weight changed since. */
function sessionOf(mlp: FeedForwardLayers, runtime: OnnxRuntime, kind: GraphKind): OnnxSyncSession {
  const threads = onnxInferenceThreads();
  const known = sessions[kind].get(mlp);
  if (known && fresh(known, mlp, runtime, threads)) return known.session;
  if (known) {
    releaser.unregister(known);
    known.session.release();
    sessions[kind].delete(mlp);
  }
  const builtFrom = weightIds(mlp);
  const builtAtWrites = inPlaceParameterWrites();
  let session: OnnxSyncSession;
  try {
    session = runtime.createSession(BUILDERS[kind](mlp), threads);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(`onnx-feed-forward: onnxruntime-node ${runtime.version} did not take the MLP graph (${why}); setOnnxInference(false) runs it in tfjs`, { cause: e });
  }
  const entry: Entry = { session, runtime, builtFrom, builtAtWrites, threads };
  sessions[kind].set(mlp, entry);
  releaser.register(mlp, session, entry);
  builds++;
  return session;
}

/**
 * tensor-core's {@link FeedForwardRuntime} on onnxruntime-node: each MLP gets
 * an in-memory session of its graph ({@link buildFeedForwardOnnxModel}) with
 * its current weights, rebuilt on the next call after any of them changes
 * (data ids compared, as `OnnxBertRunner`). It declines (tfjs runs) when ONNX
 * inference is off (`setOnnxInference(false)`, `setFusedKernels(false)`),
 * when onnxruntime-node cannot be loaded, and for activations without an ONNX
 * form here (gelu). `runPairs` (Dixit's relation MLP over pairs of spans)
 * has its own graph per MLP, which gathers the pairs inside onnxruntime.
 */
export const onnxFeedForwardRuntime: FeedForwardRuntime = {
  run(mlp: FeedForwardLayers, x: tf.Tensor2D): tf.Tensor2D | null {
    const runtime = useOnnxInference();
    if (!runtime || mlp.layers.length === 0 || !feedForwardHasOnnxForm(mlp)) return null;
    const [rows, inputDim] = x.shape; // N, in
    const outputDim = mlp.layers[mlp.layers.length - 1].outputDim;
    const session = sessionOf(mlp, runtime, 'rows');
    const data = x.dtype === 'float32' ? (x.dataSync() as Float32Array) : Float32Array.from(x.dataSync());
    const out = session.run({ [FEED_FORWARD_ONNX_INPUT]: { data, dims: [rows, inputDim] } }, FEED_FORWARD_ONNX_OUTPUT);
    if (out.dims.length !== 2 || out.dims[0] !== rows || out.dims[1] !== outputDim) {
      throw new Error(`onnx-feed-forward: the session gave [${out.dims.join(', ')}], expected [${rows}, ${outputDim}]`);
    }
    return tf.tensor2d(out.data, [rows, outputDim], 'float32'); // [N, out]
  },

  runPairs(mlp: FeedForwardLayers, reps: tf.Tensor2D, heads: Int32Array, tails: Int32Array): tf.Tensor2D | null {
    const runtime = useOnnxInference();
    if (!runtime || mlp.layers.length === 0 || !feedForwardHasOnnxForm(mlp) || heads.length !== tails.length) return null;
    const [numReps, dim] = reps.shape; // N, Ds
    const rows = heads.length; // M
    const outputDim = mlp.layers[mlp.layers.length - 1].outputDim;
    const session = sessionOf(mlp, runtime, 'pairs');
    const I = PAIR_FEED_FORWARD_ONNX_INPUTS;
    const data = reps.dtype === 'float32' ? (reps.dataSync() as Float32Array) : Float32Array.from(reps.dataSync());
    const out = session.run({ [I.reps]: { data, dims: [numReps, dim] }, [I.heads]: { data: heads, dims: [rows] }, [I.tails]: { data: tails, dims: [rows] } }, FEED_FORWARD_ONNX_OUTPUT);
    if (out.dims.length !== 2 || out.dims[0] !== rows || out.dims[1] !== outputDim) {
      throw new Error(`onnx-feed-forward: the pair session gave [${out.dims.join(', ')}], expected [${rows}, ${outputDim}]`);
    }
    return tf.tensor2d(out.data, [rows, outputDim], 'float32'); // [M, out]
  },
};

/** Sessions built so far by {@link onnxFeedForwardRuntime} (tests, benchmarks). */
export function onnxFeedForwardBuilds(): number {
  return builds;
}

/**
 * Makes tensor-core's MLPs (`FeedForward`: the heads' entity, relation and
 * attention MLPs) run their inference forward pass on onnxruntime-node
 * wherever it can be loaded (`@spanrel/joint` calls this when imported in
 * Node). Off: `setOnnxInference(false)` or `setFusedKernels(false)`;
 * `setFeedForwardRuntime(null)` uninstalls it.
 */
export function installOnnxFeedForwardRuntime(): void {
  setFeedForwardRuntime(onnxFeedForwardRuntime);
}
