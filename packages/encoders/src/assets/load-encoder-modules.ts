import { loadTransformers } from '../transformers-module.js';
import type { EncoderSpec } from './asset-file-names.js';

/**
 * Loads the optional modules an encoder of this spec needs before it is rebuilt
 * (registry factories are synchronous and cannot wait for an `import()`):
 * transformers.js for a BERT encoder, also as a BiLSTM's contextual encoder.
 * What `loadModelFromUrl` awaits, so a browser page only needs to say where
 * transformers.js comes from (`setTransformersLoader`), and fetches it only for BERT models.
 */
export async function loadEncoderModules(spec: EncoderSpec): Promise<void> {
  if (spec.name === 'bert-encoder.v1') await loadTransformers(spec.name);
  const contextual = (spec.config as { contextual?: EncoderSpec | null }).contextual;
  if (spec.name === 'bilstm-charcnn-encoder.v1' && contextual) await loadEncoderModules(contextual);
}
