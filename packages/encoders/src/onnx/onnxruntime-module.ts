import type * as NodeModule from 'node:module';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import { nodeBuiltin } from '../node-builtin.js';
import { TRANSFORMERS_PACKAGE } from '../transformers-module.js';

// Node built-ins got when used, not imported: the BERT encoder, which imports this
// module, is in the browser entry too, where loading throws and inference runs on tfjs.
const FEATURE = 'ONNX inference (onnxruntime-node)';
const createRequire = (from: string) => nodeBuiltin<typeof NodeModule>('node:module', FEATURE).createRequire(from);

/**
 * onnxruntime-node, loaded on first use and only if it is there: it is never a
 * dependency of @spanrel/encoders. It is found next to @spanrel/encoders, or
 * else through transformers.js (`@huggingface/transformers`, an optional peer,
 * depends on it), as pnpm's strict layout only lets the latter see it.
 *
 * Why the native binding and not `InferenceSession`: `Encoder.encode` is
 * synchronous (the heads and the decoder call it inside `tf.tidy`), while the
 * public `InferenceSession.create` / `run` are async wrappers (a `setImmediate`
 * each) around the binding's synchronous `loadModel` / `run`. The binding is
 * what the public API calls, with the same arguments; a version whose binding
 * lacks them is reported as unavailable (the tfjs path runs).
 */

/** An int64 input: values and dims. */
export interface OnnxInt64Input {
  data: BigInt64Array;
  dims: readonly number[];
}

/** A float32 input: values and dims. */
export interface OnnxFloatInput {
  data: Float32Array;
  dims: readonly number[];
}

/** An int32 input (e.g. an LSTM's `sequence_lens`): values and dims. */
export interface OnnxInt32Input {
  data: Int32Array;
  dims: readonly number[];
}

/** An input of a session: int64 (ids, masks), int32 (lengths) or float32 (states, features). */
export type OnnxInput = OnnxInt64Input | OnnxInt32Input | OnnxFloatInput;

/** A float32 output. */
export interface OnnxFloatOutput {
  data: Float32Array;
  dims: readonly number[];
}

/** A loaded model that runs synchronously. */
export interface OnnxSyncSession {
  run(feeds: Record<string, OnnxInput>, outputName: string): OnnxFloatOutput;
  /**
   * Runs the model with `out` as the pre-allocated output `outputName` (onnxruntime writes into
   * `out.data`, which may be a view of another buffer such as the wasm heap; dims must be right).
   */
  runInto(feeds: Record<string, OnnxInput>, outputName: string, out: OnnxFloatOutput): void;
  release(): void;
}

export interface OnnxRuntime {
  /** onnxruntime-node's version. */
  readonly version: string;
  /** A session of the serialized model `bytes`, running on `threads` threads. */
  createSession(bytes: Uint8Array, threads: number): OnnxSyncSession;
}

/** Gives the runtime or throws why it cannot. */
export type OnnxRuntimeLoader = () => OnnxRuntime;

export const ONNXRUNTIME_PACKAGE = 'onnxruntime-node';

interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, unknown>, options: object): Record<string, { type: string; data: unknown; dims: readonly number[] }>;
  dispose(): void;
}

interface OrtModule {
  Tensor: new (type: 'int64' | 'int32' | 'float32', data: BigInt64Array | Int32Array | Float32Array, dims: readonly number[]) => unknown;
  env?: { versions?: { node?: string; common?: string } };
}

/** Where onnxruntime-node's entry file is: next to us, else next to transformers.js. */
function resolveEntry(): string {
  const here = createRequire(import.meta.url);
  try {
    return here.resolve(ONNXRUNTIME_PACKAGE);
  } catch (direct) {
    let viaTransformers: string;
    try {
      viaTransformers = here.resolve(TRANSFORMERS_PACKAGE);
    } catch {
      throw direct;
    }
    return createRequire(viaTransformers).resolve(ONNXRUNTIME_PACKAGE);
  }
}

const nodeLoader: OnnxRuntimeLoader = () => {
  const entry = resolveEntry();
  const load = createRequire(entry);
  const { dirname, join } = nodeBuiltin<typeof Path>('node:path', FEATURE);
  const ort = load(entry) as OrtModule;
  const { binding, initOrt } = load(join(dirname(entry), 'binding.js')) as {
    binding?: { InferenceSession?: new () => NativeSession };
    initOrt?: () => void;
  };
  const Session = binding?.InferenceSession;
  if (typeof Session !== 'function' || typeof initOrt !== 'function' || typeof Session.prototype.run !== 'function' || typeof Session.prototype.loadModel !== 'function') {
    throw new Error(`${ONNXRUNTIME_PACKAGE} at ${entry} has no synchronous binding (dist/binding.js: InferenceSession.loadModel / run); tested with 1.30`);
  }
  const version = ort.env?.versions?.node ?? ort.env?.versions?.common ?? 'unknown';
  return {
    version,
    createSession(bytes, threads) {
      initOrt(); // once per process, as InferenceSession.create does
      const native = new Session();
      native.loadModel(bytes.buffer, bytes.byteOffset, bytes.byteLength, {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        // No spin-waiting after a run: the heads and the decoder run in tfjs between runs, and the
        // machine may be shared (measured: encoder forward 6.5-7.2x tfjs without, 3.5-4.6x with).
        extra: { 'session.intra_op.allow_spinning': '0' },
      });
      const tensorsOf = (feeds: Record<string, OnnxInput>): Record<string, unknown> => {
        const tensors: Record<string, unknown> = {};
        for (const [name, f] of Object.entries(feeds)) tensors[name] = new ort.Tensor(f.data instanceof Float32Array ? 'float32' : f.data instanceof Int32Array ? 'int32' : 'int64', f.data, f.dims);
        return tensors;
      };
      return {
        runInto(feeds, outputName, out) {
          // The binding writes into a given output's memory, then still returns a copy of it (dropped here).
          native.run(tensorsOf(feeds), { [outputName]: new ort.Tensor('float32', out.data, out.dims) }, {});
        },
        run(feeds, outputName) {
          const out = native.run(tensorsOf(feeds), { [outputName]: null }, {})[outputName];
          if (!out || out.type !== 'float32' || !(out.data instanceof Float32Array)) {
            throw new Error(`${ONNXRUNTIME_PACKAGE}: output "${outputName}" is ${out ? out.type : 'missing'}, expected float32`);
          }
          return { data: out.data, dims: out.dims };
        },
        release: () => native.dispose(),
      };
    },
  };
};

let loader: OnnxRuntimeLoader = nodeLoader;
let state: { runtime: OnnxRuntime } | { error: Error } | undefined;

/**
 * Replaces how onnxruntime-node is loaded (tests: a loader that throws simulates
 * a missing install); no argument restores the default. Forgets the last load.
 */
export function setOnnxRuntimeLoader(next?: OnnxRuntimeLoader): void {
  loader = next ?? nodeLoader;
  state = undefined;
}

/** onnxruntime-node, loaded on the first call; null when it cannot be loaded (see {@link onnxRuntimeError}). */
export function loadOnnxRuntime(): OnnxRuntime | null {
  if (!state) {
    try {
      state = { runtime: loader() };
    } catch (e) {
      state = { error: e instanceof Error ? e : new Error(String(e)) };
    }
  }
  return 'runtime' in state ? state.runtime : null;
}

/** Why the last {@link loadOnnxRuntime} gave null (undefined when it loaded or was not tried). */
export function onnxRuntimeError(): Error | undefined {
  return state && 'error' in state ? state.error : undefined;
}

/**
 * Threads of an ONNX session by default: every core Node may use on the main
 * thread; 1 in a worker thread, as a sharded predictor (`@spanrel/joint/parallel`)
 * runs one worker per core already.
 */
export function defaultOnnxThreads(): number {
  const { isMainThread } = nodeBuiltin<typeof WorkerThreads>('node:worker_threads', FEATURE);
  return isMainThread ? nodeBuiltin<typeof Os>('node:os', FEATURE).availableParallelism() : 1;
}
