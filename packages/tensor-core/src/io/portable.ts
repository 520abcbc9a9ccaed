/** Weight IO that needs no file system: safetensors bytes in and out, half floats, named tensors. */
export { bfloat16ToFloat32, float16BitsToNumber, float16ToFloat32 } from './half-float.js';
export {
  assignParameters,
  collectParameters,
  disposeNamedTensors,
  type AssignParametersOptions,
  type AssignReport,
} from './named-tensors.js';
export {
  decodeSafetensors,
  encodeSafetensors,
  readSafetensorsHeader,
  SAFETENSORS_MAX_HEADER_BYTES,
  type DecodeSafetensorsOptions,
  type SafetensorsContents,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './safetensors.js';
