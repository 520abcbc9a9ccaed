import { registry as defaultRegistry, type Registry } from '@spanrel/tensor-core';
import { FrozenTransformerEncoder, type FrozenTransformerEncoderConfig } from './frozen-transformer-encoder.js';

/** Registers `"frozen-transformer-encoder.v1"` (idempotent); run on import for the process-wide registry. */
export function registerFrozenTransformerEncoder(target: Registry = defaultRegistry): void {
  if (!target.has(FrozenTransformerEncoder.kind)) {
    target.register(FrozenTransformerEncoder.kind, (config: FrozenTransformerEncoderConfig) => new FrozenTransformerEncoder(config));
  }
}

registerFrozenTransformerEncoder();
