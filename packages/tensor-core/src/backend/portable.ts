/**
 * The backend exports that need no Node built-in (the browser entry's): the
 * choice and its report, the kernel / gradient patches, the fused kernels.
 * Importing this module also registers tfjs-core's stock gradients, which its
 * Node entry leaves out.
 */
export { gradientsRegistered } from './register-gradients.js';
export {
  chooseBackend,
  describeBackend,
  backendInfo,
  BACKEND_ENV_VAR,
  type BackendHost,
  type BackendInfo,
  type BackendChoice,
  type InitBackendOptions,
} from './choose-backend.js';
export { initBrowserBackend, type InitBrowserBackendOptions } from './init-browser-backend.js';
export { patchWasmForTraining, isWasmPatched, WASM_PATCH_TAG, type WasmPatchReport } from './patch-wasm.js';
export { patchCpuForTraining, isCpuPatched, CPU_PATCH_TAG } from './patch-cpu.js';
export { installTrainingGradients, reduceToShape } from './gradients/index.js';
export { setFusedKernels, fusedKernelsEnabled, useFusedKernel } from './fused-kernels.js';
export { installLeanSavedTensors, leanSavedTensorsInstalled } from './lean-saved-tensors.js';
export { setMatMulRuntime, matMulRuntime, matMulRuntimeCalls, MIN_RUNTIME_MULTIPLY_ADDS, MIN_RUNTIME_INNER_DIM, type MatMulRuntime, type MatMulProduct } from './mat-mul-runtime.js';
export { MASKED_MAX_POOL, RANGE_MAX_POOL } from './kernels/masked-max-pool-kernels.js';
export { ZERO_MASKED_ROWS } from './kernels/zero-masked-rows-kernel.js';
export { LSTM_RECURRENCE } from './kernels/lstm-recurrence-kernels.js';
