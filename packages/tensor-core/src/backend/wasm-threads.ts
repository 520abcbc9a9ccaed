/**
 * The wasm backend with several XNNPACK threads in Node (opt-in:
 * `initBackend({ backend: 'wasm', threads: N })` or `SPANREL_WASM_THREADS`).
 *
 * tfjs-backend-wasm 4.22 never loads its threaded SIMD build in Node
 * (`WASM_HAS_MULTITHREAD_SUPPORT` is false when IS_NODE, tfjs#3830), and its
 * loader could not start one anyway: it gives Emscripten the pthread worker as
 * a `blob:` URL, which `node:worker_threads` cannot run. The Emscripten glue
 * itself supports Node workers, so this builds the module from the package's
 * own `wasm-out/` files, with three changes (details in
 * docs/wasm-threads-in-node.md):
 *  - the worker is the package's `wasmWorkerContents`, started from a `data:`
 *    URL; Node runs those as ES modules, so a prelude supplies the `require`
 *    and `__filename` that this CommonJS-style script uses;
 *  - `emscripten_num_logical_cores` reports twice the wanted threads: the C++
 *    side caps the pool at logical cores / 2 (it assumes hyper-threading), so
 *    on a 2-core machine it never gets past 1;
 *  - the pool's running workers are unref'd: Emscripten refs them, which keeps
 *    a Node process alive after its work is done.
 * The backend is the package's own `BackendWasm` on that module, registered as
 * `wasm`, so every kernel registered for wasm (stock and spanrel's training
 * patches) applies as it is.
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { threadedWasmFiles } from './wasm-files.js';

/** Environment variable giving the wasm backend's thread count (see `parseWasmThreads`). */
export const WASM_THREADS_ENV_VAR = 'SPANREL_WASM_THREADS';

/**
 * Most threads: the build pre-starts 8 pthread workers (PTHREAD_POOL_SIZE).
 * A thread beyond the pool would need a new worker, which cannot start while
 * the main thread waits for it.
 */
export const MAX_WASM_THREADS = 8;

/** The package registers `wasm` with this priority (WASM_PRIORITY); kept when re-registering. */
const WASM_PRIORITY = 2;

/**
 * A thread count from an option or `SPANREL_WASM_THREADS`: an integer from 1
 * to `MAX_WASM_THREADS`, or `'auto'` (the available cores, at most 8).
 */
export function parseWasmThreads(value: number | string, source: string): number {
  const text = String(value).trim().toLowerCase();
  const n = text === 'auto' ? Math.min(os.availableParallelism(), MAX_WASM_THREADS) : Number(text);
  if (!Number.isInteger(n) || n < 1 || n > MAX_WASM_THREADS) {
    throw new Error(`tensor-core/backend: ${source} must be an integer from 1 to ${MAX_WASM_THREADS} or "auto", got "${value}"`);
  }
  return n;
}

/** The parts of the Emscripten module used here (the package's types stop at `BackendWasmModule`). */
interface ThreadedModule {
  cwrap(name: string, ret: string | null, args: string[]): (...args: number[]) => number;
  PThread: { runningWorkers: { unref?(): void }[]; terminateAllThreads(): void };
  tfjs?: unknown;
}
type Factory = (config: Record<string, unknown>) => Promise<ThreadedModule>;
type Imports = { env: Record<string, unknown> };
/** The part of the `WebAssembly` global used here (the TypeScript libs of this package do not declare it). */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Imports): Promise<{ instance: object; module: object }>;
}
const WASM = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Instantiates the threaded build; resolves once its worker pool is loaded. */
async function threadedModule(threads: number): Promise<ThreadedModule> {
  const files = threadedWasmFiles();
  const require = createRequire(import.meta.url);
  const { wasmWorkerContents } = require(files.worker) as { wasmWorkerContents: string };
  const factory = require(files.glue) as Factory;
  const binary = readFileSync(files.binary);
  const prelude = `import { createRequire } from 'node:module'; const require = createRequire(${JSON.stringify(files.glue)}); const __filename = ${JSON.stringify(files.glue)};\n`;
  // Re-escaped as the package does before making its blob: worker.js holds the
  // source in a template literal, which turned its "\n" escapes into newlines.
  const source = wasmWorkerContents.replace(/\n/g, '\\n');
  const workerUrl = new URL(`data:text/javascript;base64,${Buffer.from(prelude + source).toString('base64')}`);

  let fail: (e: unknown) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const ready = factory({
    // Emscripten hands this straight to `new Worker(...)`, which takes a URL object.
    locateFile: (file: string, prefix: string) => (file.endsWith('.worker.js') ? workerUrl : prefix + file),
    instantiateWasm(imports: Imports, receive: (instance: object, module: object) => void) {
      imports.env.emscripten_num_logical_cores = () => 2 * threads;
      WASM.instantiate(binary, imports).then((r) => receive(r.instance, r.module), fail);
      return {};
    },
    onAbort: (what: unknown) => fail(new Error(`tensor-core/backend: the threaded wasm module aborted: ${String(what)}`)),
  });
  const module = await Promise.race([ready, failed]);
  // What the package's own loader attaches before `new BackendWasm(module)`.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  return module;
}

/** A `BackendWasm` on the threaded build with `threads` XNNPACK threads (the caller included). */
export async function createThreadedWasmBackend(threads: number): Promise<BackendWasm> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const module = await threadedModule(threads);
  wasm.setThreadsCount(threads); // read by the BackendWasm constructor, which creates the pool
  const backend = new wasm.BackendWasm(module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0]);
  for (const worker of module.PThread.runningWorkers) worker.unref?.();
  return backend;
}

/** The package's own `wasm` factory, put back for 1 thread. */
let stockFactory: (() => tf.KernelBackend | Promise<tf.KernelBackend>) | undefined;
/** Threads the `wasm` registration is set up for now. */
let configured = 1;
/** The threaded backend registered now, if any. */
let built: BackendWasm | undefined;

/**
 * Makes the `wasm` backend name load with `threads` XNNPACK threads: more than
 * one builds the threaded backend now (so its errors surface here), one puts
 * back the package's own loader. A change disposes a running wasm backend and
 * its tensors. Needs `@tensorflow/tfjs-backend-wasm` imported.
 */
export async function useWasmThreads(threads: number): Promise<void> {
  if (threads === configured) return;
  stockFactory ??= tf.findBackendFactory('wasm') ?? undefined;
  if (!stockFactory) throw new Error('tensor-core/backend: the wasm backend is not registered; import "@tensorflow/tfjs-backend-wasm" first');
  const backend = threads > 1 ? await createThreadedWasmBackend(threads) : undefined;
  // A threaded backend built earlier but never activated is not the engine's to dispose.
  if (built && tf.engine().registry.wasm !== built) built.dispose();
  if (tf.findBackendFactory('wasm')) tf.removeBackend('wasm'); // disposes a running one (and its pool)
  tf.registerBackend('wasm', backend ? () => backend : stockFactory, WASM_PRIORITY);
  built = backend;
  configured = threads;
}
