import type { Encoder, WordBatch } from '../encoder.js';

/** An encoder whose synchronous `encode` needs an asynchronous `precompute` first (frozen ONNX features). */
export interface PrecomputingEncoder extends Encoder {
  precompute(batch: WordBatch): Promise<void>;
}

/** Whether `encoder` has a `precompute` step. */
export function needsPrecompute(encoder: Encoder): encoder is PrecomputingEncoder {
  return typeof (encoder as Partial<PrecomputingEncoder>).precompute === 'function';
}

/**
 * Awaits `encoder.precompute(batch)` when the encoder has one (no-op otherwise).
 * A training or prediction loop calls this before every `encode`, so encoders with
 * frozen ONNX features (directly or in a BiLSTM's contextual slot) work there.
 */
export async function precomputeIfNeeded(encoder: Encoder, batch: WordBatch): Promise<void> {
  if (needsPrecompute(encoder)) await encoder.precompute(batch);
}
