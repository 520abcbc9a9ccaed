/**
 * Backend initialisation in a browser (or any platform without Node's file
 * system): the wasm backend, whose `.wasm` files the page serves at `wasmPaths`.
 */
import { chooseBackend, type BackendHost, type BackendInfo } from './choose-backend.js';

/** Options of {@link initBrowserBackend}. */
export interface InitBrowserBackendOptions {
  /**
   * URL prefix (ending with `/`) where the page serves `tfjs-backend-wasm.wasm`,
   * `tfjs-backend-wasm-simd.wasm` and `tfjs-backend-wasm-threaded-simd.wasm`
   * (copied from `@tensorflow/tfjs-backend-wasm/dist/`), e.g. `'./wasm/'`.
   */
  wasmPaths: string;
  /** `'wasm'` (default) or `'cpu'` (pure JS, slow; needs no .wasm files). */
  backend?: 'wasm' | 'cpu';
  /** Apply spanrel's kernel patches (default true: the same kernels as in Node, so the same predictions). */
  patch?: boolean;
}

/**
 * Makes the wasm backend (or the cpu backend) the active one and returns what
 * was chosen, as `initBackend` does in Node.
 *
 * ```ts
 * await initBrowserBackend({ wasmPaths: new URL('./wasm/', location.href).href });
 * ```
 */
export async function initBrowserBackend(options: InitBrowserBackendOptions): Promise<BackendInfo> {
  const host: BackendHost = {
    requestedBackend: () => undefined,
    packageVersion: () => 'unknown',
    cpuCount: () => (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1,
    wasmPaths: () => options.wasmPaths,
  };
  return chooseBackend({ backend: options.backend ?? 'wasm', patch: options.patch, wasmPaths: options.wasmPaths }, host);
}
