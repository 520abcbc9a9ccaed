/**
 * Picks, loads and reports the TensorFlow.js backend spanrel computes on.
 *
 * Order when nothing is asked for: `@tensorflow/tfjs-node-gpu`, then
 * `@tensorflow/tfjs-node` (native TensorFlow; optional peer dependencies, used
 * only when importable), then the wasm backend made training-ready, then the
 * pure-JS cpu backend. `options.backend`, else the `SPANREL_BACKEND`
 * environment variable, names one instead — then a failure to load it is an
 * error, never a silent fallback. The wasm backend's XNNPACK thread count
 * (`options.threads`) is the host's business: only Node's host loads a
 * threaded build (`BackendHost.wasmThreads`, `wasm-threads.ts`).
 */
import * as tf from '@tensorflow/tfjs-core';
import { installTrainingGradients } from './gradients/index.js';
import { isCpuPatched, patchCpuForTraining } from './patch-cpu.js';
import { isWasmPatched, patchWasmForTraining } from './patch-wasm.js';
import { matMulRuntime } from './mat-mul-runtime.js';
import { installLeanSavedTensors } from './lean-saved-tensors.js';

/** The concrete choices, in automatic order. */
export type BackendChoice = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** Environment variable that names the backend (see `initBackend`). */
export const BACKEND_ENV_VAR = 'SPANREL_BACKEND';

/** What `initBackend` chose, and how it runs. */
export interface BackendInfo {
  /** tfjs backend name now active: `'tensorflow'`, `'wasm'` or `'cpu'`. */
  name: string;
  /** Which of spanrel's choices it is. */
  choice: BackendChoice;
  /** npm package providing it. */
  package: string;
  /** That package's version (`'unknown'` if its package.json is unreadable). */
  version: string;
  /** Runs on a GPU (tfjs-node-gpu). */
  gpu: boolean;
  /** spanrel's training patches are in place for this backend (always false for tfjs-node, which needs none). */
  patched: boolean;
  /** Compute threads: XNNPACK threads for wasm (in Node 1 unless `threads` asked for more), 1 for cpu, the core count for native TensorFlow. */
  threads: number;
  /** Vector instructions: WebAssembly SIMD for wasm, true for native TensorFlow, false for the JS cpu backend. */
  simd: boolean;
  /** Who decided: the `backend` option, the `SPANREL_BACKEND` variable, or the automatic order. */
  requestedBy: 'option' | 'env' | 'auto';
  /** Backends tried before this one in automatic order, with the reason each was skipped. */
  skipped: { choice: BackendChoice; reason: string }[];
}

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /**
   * `'auto'` (default), `'tensorflow'` (tfjs-node-gpu, else tfjs-node),
   * `'tfjs-node-gpu'` (alias `'gpu'`), `'tfjs-node'` (alias `'node'`),
   * `'wasm'` or `'cpu'`. Overrides `SPANREL_BACKEND`.
   */
  backend?: string;
  /** Apply the training patches (default true). `false` leaves the stock backend, e.g. to benchmark it. */
  patch?: boolean;
  /**
   * Where the wasm backend loads its `.wasm` files from (a prefix that ends with
   * `/`): a URL in a browser. Default in Node: the installed package's folder.
   */
  wasmPaths?: string;
  /**
   * XNNPACK threads of the wasm backend, Node's `initBackend` only (a host
   * without `wasmThreads` rejects it): 1 to 8, or `'auto'` (the available
   * cores, at most 8). Default: `SPANREL_WASM_THREADS` (read on the main
   * thread only), else 1 (the package's single-threaded SIMD build). More than
   * 1 loads its threaded SIMD build, which tfjs itself never uses in Node.
   * Ignored by the other backends.
   */
  threads?: number | 'auto';
}

/**
 * What choosing a backend needs from the platform: Node's environment, package
 * versions, core count and wasm folder (`init-backend.ts`), or the browser's
 * (`init-browser-backend.ts`).
 */
export interface BackendHost {
  /** The value of `SPANREL_BACKEND`, if the platform has environment variables. */
  requestedBackend(): string | undefined;
  /** Version of an installed package, `'unknown'` when unreadable. */
  packageVersion(pkg: string): string;
  /** Cores native TensorFlow computes on. */
  cpuCount(): number;
  /** Default `wasmPaths` (called only when the wasm backend is loaded and none was given). */
  wasmPaths(): string;
  /**
   * The wasm backend's thread count (Node's host only; without it the wasm
   * backend loads as tfjs loads it, and the `threads` option is an error).
   */
  wasmThreads?: {
    /**
     * The count for the `threads` option, or the host's default when it is
     * undefined (Node: `SPANREL_WASM_THREADS`, else 1). Throws on a bad value.
     * Called once per `chooseBackend`, before any backend is tried.
     */
    resolve(requested: number | 'auto' | undefined): number;
    /**
     * Makes the `wasm` backend name load with `threads` XNNPACK threads
     * (called after `setWasmPaths` and the patches, before activating it).
     */
    use(threads: number): Promise<void>;
  };
}

const REQUESTS: Record<string, BackendChoice[]> = {
  auto: ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'],
  tensorflow: ['tfjs-node-gpu', 'tfjs-node'],
  'tfjs-node-gpu': ['tfjs-node-gpu'],
  gpu: ['tfjs-node-gpu'],
  'tfjs-node': ['tfjs-node'],
  node: ['tfjs-node'],
  wasm: ['wasm'],
  cpu: ['cpu'],
};

const PACKAGES: Record<BackendChoice, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

let current: BackendInfo | undefined;

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}

/** Imports an optional peer (a variable specifier, so bundlers and tsc leave it alone). */
async function importOptional(pkg: string): Promise<void> {
  await import(/* @vite-ignore */ pkg);
}

async function activate(name: string): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

/**
 * The cpu backend prints "Hi, looks like you are running TensorFlow.js in
 * Node.js ... install tfjs-node" on first use. initBackend has already looked
 * for tfjs-node and reports its choice (`describeBackend`), so that banner
 * would only mislead; mark the cpu backend as used.
 */
function silenceCpuBanner(): void {
  const cpu = tf.engine().findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

/** Loads one choice and makes it the active backend; throws with the cause when it cannot. */
async function load(
  choice: BackendChoice,
  patch: boolean,
  wasmPaths: string | undefined,
  wasmThreads: number | undefined,
  host: BackendHost,
): Promise<Omit<BackendInfo, 'requestedBy' | 'skipped'>> {
  const pkg = PACKAGES[choice];
  const base = { choice, package: pkg, version: host.packageVersion(pkg) };
  switch (choice) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      await importOptional(pkg); // registers the 'tensorflow' backend (and tfjs' stock gradients again)
      await activate('tensorflow');
      installTrainingGradients(); // re-install ours over the stock ones just re-registered
      return { ...base, name: 'tensorflow', gpu: choice === 'tfjs-node-gpu', patched: false, threads: host.cpuCount(), simd: true };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      await import('@tensorflow/tfjs-backend-cpu'); // the patch forwards a few rare kernels to it
      if (tf.engine().registry.wasm === undefined) wasm.setWasmPaths(wasmPaths ?? host.wasmPaths());
      silenceCpuBanner();
      if (patch) {
        patchCpuForTraining();
        patchWasmForTraining();
        installLeanSavedTensors();
      }
      // the kernels stay registered under 'wasm', whichever build runs them
      if (wasmThreads !== undefined) await host.wasmThreads?.use(wasmThreads);
      await activate('wasm');
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
      return { ...base, version: wasm.version_wasm, name: 'wasm', gpu: false, patched: isWasmPatched(), threads: wasm.getThreadsCount(), simd };
    }
    case 'cpu': {
      const cpu = await import('@tensorflow/tfjs-backend-cpu');
      silenceCpuBanner();
      if (patch) {
        patchCpuForTraining();
        installLeanSavedTensors();
      }
      await activate('cpu');
      return { ...base, version: cpu.version_cpu, name: 'cpu', gpu: false, patched: isCpuPatched(), threads: 1, simd: false };
    }
  }
}

/**
 * Chooses and initialises the backend on `host`'s platform: what `initBackend`
 * (Node) and `initBrowserBackend` do (see the file comment for the order).
 */
export async function chooseBackend(options: InitBackendOptions, host: BackendHost): Promise<BackendInfo> {
  const fromEnv = host.requestedBackend()?.trim();
  const requestedBy: BackendInfo['requestedBy'] = options.backend ? 'option' : fromEnv ? 'env' : 'auto';
  const request = (options.backend ?? (fromEnv || 'auto')).toLowerCase();
  const choices = REQUESTS[request];
  if (!choices) {
    const where = requestedBy === 'env' ? `${BACKEND_ENV_VAR}=${request}` : `initBackend({ backend: '${request}' })`;
    throw new Error(`tensor-core/backend: unknown backend in ${where}; expected one of ${Object.keys(REQUESTS).join(', ')}`);
  }
  if (options.threads !== undefined && !host.wasmThreads) {
    throw new Error("tensor-core/backend: the threads option needs Node's initBackend (this host cannot load the threaded wasm build)");
  }
  const wasmThreads = host.wasmThreads?.resolve(options.threads);
  const skipped: BackendInfo['skipped'] = [];
  for (const choice of choices) {
    try {
      const loaded = await load(choice, options.patch ?? true, options.wasmPaths, wasmThreads, host);
      current = { ...loaded, requestedBy, skipped };
      return current;
    } catch (e) {
      skipped.push({ choice, reason: errorMessage(e) });
    }
  }
  const tried = skipped.map((s) => `${s.choice}: ${s.reason}`).join('; ');
  throw new Error(`tensor-core/backend: could not initialise backend "${request}" (${tried})`);
}

/** The `BackendInfo` of the last successful `initBackend`, or `undefined`. */
export function backendInfo(): BackendInfo | undefined {
  return current;
}

/**
 * One line naming the active backend, e.g.
 * `wasm (@tensorflow/tfjs-backend-wasm 4.22.0; SIMD, 1 thread; training patches applied; chosen automatically after skipping tfjs-node-gpu, tfjs-node)`.
 */
export function describeBackend(): string {
  const active = tf.getBackend();
  if (!current || current.name !== active) {
    return `${active ?? 'no backend'} (not chosen by initBackend; training patches ${isWasmPatched() || isCpuPatched() ? 'partly applied' : 'not applied'})`;
  }
  const i = current;
  const compute = [i.gpu ? 'GPU' : 'CPU', i.simd ? 'SIMD' : 'no SIMD', `${i.threads} thread${i.threads === 1 ? '' : 's'}`].join(', ');
  const patches = i.choice === 'wasm' || i.choice === 'cpu' ? (i.patched ? 'training patches applied' : 'stock kernels (not patched)') : 'native kernels';
  const why =
    i.requestedBy === 'option'
      ? 'chosen by the backend option'
      : i.requestedBy === 'env'
        ? `chosen by ${BACKEND_ENV_VAR}`
        : i.skipped.length
          ? `chosen automatically after skipping ${i.skipped.map((s) => s.choice).join(', ')}`
          : 'chosen automatically';
  // Where a native runtime takes the large matMuls (onnxruntime-node, installed by @spanrel/joint), say so.
  const matMuls = i.choice === 'wasm' && matMulRuntime() ? `; large matMuls on ${matMulRuntime()!.name}` : '';
  return `${i.name} (${i.package} ${i.version}; ${compute}; ${patches}${matMuls}; ${why})`;
}
