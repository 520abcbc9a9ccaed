export * from './portable.js';
export { loadSafetensors, saveSafetensors, type LoadSafetensorsOptions } from './safetensors-file.js';
