/**
 * Small helpers around tfjs' global kernel registry, shared by the training
 * patches: remember the stock kernel before replacing it, mark our own kernels
 * so a patch can tell it already ran (idempotency), and call a backend's kernel
 * directly on `TensorInfo`s (how tfjs backends compose kernels out of kernels).
 *
 * The bookkeeping lives on `globalThis` under `Symbol.for` keys, like tfjs keeps
 * its own registries there: several copies of this module (a bundled `dist`, a
 * test run from sources) then still agree on what is patched.
 */
import * as tf from '@tensorflow/tfjs-core';

const PATCH_MARK = Symbol.for('spanrel.tensor-core.patched');
const STOCK_KERNELS = Symbol.for('spanrel.tensor-core.stock-kernels');

type Marked = { [PATCH_MARK]?: string };

function stockKernels(): Map<string, tf.KernelConfig> {
  const g = globalThis as unknown as { [STOCK_KERNELS]?: Map<string, tf.KernelConfig> };
  g[STOCK_KERNELS] ??= new Map();
  return g[STOCK_KERNELS];
}

const key = (kernelName: string, backendName: string): string => `${backendName}/${kernelName}`;

/** A kernel implementation as spanrel writes them (tfjs types the backend as `{}`). */
export type KernelFunc = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** Arguments a kernel function receives. */
export interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: tf.NamedAttrMap;
}

/**
 * Registers `kernelFunc` as `kernelName` on `backendName`, replacing (and
 * remembering) whatever was registered. The stock `setupFunc`/`disposeFunc`
 * are kept, because stock kernels we delegate to rely on them (the wasm
 * kernels bind their C++ entry points there). `tag` names the patch; calling
 * again with a kernel already carrying a tag is a no-op, so patches are
 * idempotent.
 */
export function replaceKernel(kernelName: string, backendName: string, kernelFunc: KernelFunc, tag: string): void {
  const current = tf.getKernel(kernelName, backendName);
  if (current && (current.kernelFunc as Marked)[PATCH_MARK] !== undefined) return;
  if (current) {
    stockKernels().set(key(kernelName, backendName), current);
    tf.unregisterKernel(kernelName, backendName);
  }
  (kernelFunc as Marked)[PATCH_MARK] = tag;
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: kernelFunc as unknown as tf.KernelConfig['kernelFunc'],
    setupFunc: current?.setupFunc,
    disposeFunc: current?.disposeFunc,
  });
}

/** The tag of the spanrel patch currently registered for a kernel, or `undefined` for a stock / missing kernel. */
export function patchTag(kernelName: string, backendName: string): string | undefined {
  const current = tf.getKernel(kernelName, backendName);
  return current ? (current.kernelFunc as Marked)[PATCH_MARK] : undefined;
}

/**
 * The stock kernel for `kernelName` on `backendName`: the one a patch replaced,
 * or the current one when nothing was replaced. `undefined` if none exists.
 */
export function stockKernel(kernelName: string, backendName: string): tf.KernelConfig | undefined {
  const saved = stockKernels().get(key(kernelName, backendName));
  if (saved) return saved;
  const current = tf.getKernel(kernelName, backendName);
  return current && (current.kernelFunc as Marked)[PATCH_MARK] === undefined ? current : undefined;
}

/**
 * Runs the *stock* kernel `kernelName` of `backendName` on backend-level
 * tensors. The caller owns the result and disposes intermediates with
 * `backend.disposeData(info.dataId)`.
 */
export function callStockKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = stockKernel(kernelName, backendName);
  if (!kernel) throw new Error(`tensor-core/backend: no stock kernel "${kernelName}" on backend "${backendName}"`);
  const out = kernel.kernelFunc({ inputs, backend: backend as {}, attrs });
  if (Array.isArray(out)) {
    throw new Error(`tensor-core/backend: kernel "${kernelName}" returned ${out.length} outputs, expected one`);
  }
  return out;
}

/** Runs the kernel currently registered for `kernelName` on `backendName` (patched or stock) on backend-level tensors. */
export function callKernel(
  kernelName: string,
  backendName: string,
  backend: tf.KernelBackend,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, backendName);
  if (!kernel) throw new Error(`tensor-core/backend: no kernel "${kernelName}" on backend "${backendName}"`);
  const out = kernel.kernelFunc({ inputs, backend: backend as {}, attrs });
  if (Array.isArray(out)) throw new Error(`tensor-core/backend: kernel "${kernelName}" returned ${out.length} outputs, expected one`);
  return out;
}

/** Tags a gradient config as ours (for idempotent gradient replacement). */
export function markGradient(config: tf.GradConfig, tag: string): tf.GradConfig {
  (config.gradFunc as unknown as Marked)[PATCH_MARK] = tag;
  return config;
}

/** The spanrel tag of the gradient registered for `kernelName`, or `undefined` for a stock / missing one. */
export function gradientTag(kernelName: string): string | undefined {
  const g = tf.getGradient(kernelName);
  return g ? (g.gradFunc as unknown as Marked)[PATCH_MARK] : undefined;
}
