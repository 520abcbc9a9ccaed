/**
 * `initBackend` for Node: the backend choice of `choose-backend.ts` with Node's
 * environment (`SPANREL_BACKEND`), installed package versions, core count and
 * the wasm binaries' folder in node_modules.
 */
import os from 'node:os';
import { createRequire } from 'node:module';
import { chooseBackend, type BackendHost, type BackendInfo, type InitBackendOptions, BACKEND_ENV_VAR } from './choose-backend.js';
import { wasmBinaryDirectory } from './wasm-files.js';

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
};

/**
 * Chooses and initialises the backend (see the file comment for the order),
 * applies the training patches for wasm / cpu (`patchWasmForTraining`,
 * `patchCpuForTraining`) unless `patch: false`, and returns what it chose.
 * Also remembered for `describeBackend()`. Safe to call again (e.g. to switch).
 *
 * ```ts
 * const info = await initBackend();                    // automatic order
 * await initBackend({ backend: 'wasm' });              // or SPANREL_BACKEND=wasm
 * console.log(describeBackend());
 * ```
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  return chooseBackend(options, nodeHost);
}

export { backendInfo, describeBackend, BACKEND_ENV_VAR, type BackendChoice, type BackendInfo, type InitBackendOptions } from './choose-backend.js';
