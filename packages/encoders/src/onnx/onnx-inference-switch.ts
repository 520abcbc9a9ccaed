/**
 * The process-wide switch of ONNX inference: the BERT encoders' forward pass at
 * inference (`encode(batch, false)`) on onnxruntime-node, with the module's
 * weights, instead of tfjs op by op. The same numbers to float rounding
 * (tested to 1e-5 relative); several times faster where tfjs runs on wasm.
 *
 * It follows tensor-core's fused-kernel switch too: `setFusedKernels(false)`
 * (`spanrel ... --no-fused`) gives the pure tfjs path, so one flag compares
 * every fast piece with the path it replaces. Training never uses it.
 */
import { fusedKernelsEnabled } from '@spanrel/tensor-core';
import { defaultOnnxThreads, loadOnnxRuntime, type OnnxRuntime } from './onnxruntime-module.js';

let enabled = true;
let threads: number | null = null;

/** Options of {@link setOnnxInference}. */
export interface OnnxInferenceOptions {
  /** Threads of each ONNX session (`intraOpNumThreads`); null = every core (`os.availableParallelism()`). Applies to sessions built after the call. */
  threads?: number | null;
}

/** Turns ONNX inference on (the default; it runs only where onnxruntime-node loads) or off for every later `encode`. */
export function setOnnxInference(on: boolean, options: OnnxInferenceOptions = {}): void {
  if (typeof on !== 'boolean') throw new Error(`setOnnxInference: expected true or false, got ${JSON.stringify(on)}`);
  const t = options.threads;
  if (t !== undefined && t !== null && !(Number.isInteger(t) && t >= 1)) {
    throw new Error(`setOnnxInference: options.threads must be null or a positive integer, got ${JSON.stringify(t)}`);
  }
  enabled = on;
  if (t !== undefined) threads = t;
}

/** Whether the switch is on (onnxruntime-node may still be missing, or fused kernels off). */
export function onnxInferenceEnabled(): boolean {
  return enabled;
}

/** Threads of a new ONNX session. */
export function onnxInferenceThreads(): number {
  return threads ?? defaultOnnxThreads();
}

/** The runtime when ONNX inference should run now: both switches on and onnxruntime-node loaded; else null (the tfjs path). */
export function useOnnxInference(): OnnxRuntime | null {
  return enabled && fusedKernelsEnabled() ? loadOnnxRuntime() : null;
}
