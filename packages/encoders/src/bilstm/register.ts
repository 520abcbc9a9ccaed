import { registry as defaultRegistry, type Registry } from '@spanrel/tensor-core';
import { BiLstmCharCnnEncoder, type BiLstmCharCnnEncoderConfig } from './bilstm-char-cnn-encoder.js';
import { CharCnn, type CharCnnConfig } from './char-cnn.js';

/**
 * Registers `"bilstm-charcnn-encoder.v1"` (built from its config plus `assetsDir`)
 * and `"char-cnn.v1"` (idempotent); run on import for the process-wide registry.
 */
export function registerBiLstmCharCnnEncoder(target: Registry = defaultRegistry): void {
  if (!target.has(BiLstmCharCnnEncoder.kind)) {
    target.register(BiLstmCharCnnEncoder.kind, (config: BiLstmCharCnnEncoderConfig) => new BiLstmCharCnnEncoder(config));
  }
  if (!target.has(CharCnn.kind)) target.register(CharCnn.kind, (config: CharCnnConfig) => new CharCnn(config));
}

registerBiLstmCharCnnEncoder();
