/**
 * Backend selection and the kernel / gradient patches that make the wasm and
 * cpu backends fit for training. Importing this module also registers
 * tfjs-core's stock gradients, which its Node entry leaves out.
 */
export { gradientsRegistered } from './register-gradients.js';
export {
  initBackend,
  describeBackend,
  backendInfo,
  BACKEND_ENV_VAR,
  type BackendInfo,
  type BackendChoice,
  type InitBackendOptions,
} from './init-backend.js';
export { patchWasmForTraining, isWasmPatched, WASM_PATCH_TAG, type WasmPatchReport } from './patch-wasm.js';
export { patchCpuForTraining, isCpuPatched, CPU_PATCH_TAG } from './patch-cpu.js';
export { installTrainingGradients, reduceToShape } from './gradients/index.js';
export { wasmBinaryDirectory } from './wasm-files.js';
export { WASM_THREADS_ENV_VAR, MAX_WASM_THREADS } from './wasm-threads.js';
export { setFusedKernels, fusedKernelsEnabled, useFusedKernel } from './fused-kernels.js';
export { MASKED_MAX_POOL, RANGE_MAX_POOL } from './kernels/masked-max-pool-kernels.js';
export { ZERO_MASKED_ROWS } from './kernels/zero-masked-rows-kernel.js';
export { LSTM_RECURRENCE } from './kernels/lstm-recurrence-kernels.js';
