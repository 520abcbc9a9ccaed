import { registry, type Registry } from '@spanrel/tensor-core';
import { BertEncoder, type BertEncoderConfig } from './bert-encoder.js';

/**
 * Registers {@link BertEncoder} as `"bert-encoder.v1"`. Idempotent, and run on
 * import for the process-wide registry.
 */
export function registerBertEncoder(target: Registry = registry): void {
  if (!target.has(BertEncoder.kind)) target.register<BertEncoderConfig>(BertEncoder.kind, (config) => new BertEncoder(config));
}

registerBertEncoder();
