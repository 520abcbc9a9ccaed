/**
 * `initBackend` for Node: the backend choice of `choose-backend.ts` with Node's
 * environment (`SPANREL_BACKEND`), installed package versions, core count and
 * the wasm binaries' folder in node_modules. The wasm backend runs one XNNPACK
 * thread unless `options.threads` or `SPANREL_WASM_THREADS` asks for more:
 * Node's host alone loads the threaded build (`wasm-threads.ts`), so the
 * portable `chooseBackend` and the browser entry never import it.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';
import { chooseBackend, type BackendHost, type BackendInfo, type InitBackendOptions, BACKEND_ENV_VAR } from './choose-backend.js';
import { wasmBinaryDirectory } from './wasm-files.js';
import { parseWasmThreads, useWasmThreads, WASM_THREADS_ENV_VAR } from './wasm-threads.js';

const nodeHost: BackendHost = {
  requestedBackend: () => process.env[BACKEND_ENV_VAR],
  packageVersion(pkg) {
    try {
      return (createRequire(import.meta.url)(`${pkg}/package.json`) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  },
  cpuCount: () => os.availableParallelism(),
  wasmPaths: wasmBinaryDirectory,
  wasmThreads: {
    resolve(requested) {
      if (requested !== undefined) return parseWasmThreads(requested, 'the threads option');
      // Main thread only: worker threads inherit the environment, and N workers
      // (ShardedPredictor's) with a thread pool each would oversubscribe the cores.
      const fromEnv = isMainThread ? process.env[WASM_THREADS_ENV_VAR]?.trim() : undefined;
      return fromEnv ? parseWasmThreads(fromEnv, WASM_THREADS_ENV_VAR) : 1;
    },
    use: useWasmThreads,
  },
};

/**
 * Chooses and initialises the backend (see `choose-backend.ts` for the order),
 * applies the training patches for wasm / cpu (`patchWasmForTraining`,
 * `patchCpuForTraining`) unless `patch: false`, and returns what it chose.
 * Also remembered for `describeBackend()`. Safe to call again (e.g. to switch;
 * a different wasm thread count disposes the running wasm backend and its tensors).
 *
 * ```ts
 * const info = await initBackend();                    // automatic order
 * await initBackend({ backend: 'wasm' });              // or SPANREL_BACKEND=wasm
 * await initBackend({ backend: 'wasm', threads: 4 });  // or SPANREL_WASM_THREADS=4
 * console.log(describeBackend());
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  return chooseBackend(options, nodeHost);
}

export { backendInfo, describeBackend, BACKEND_ENV_VAR, type BackendChoice, type BackendInfo, type InitBackendOptions } from './choose-backend.js';
