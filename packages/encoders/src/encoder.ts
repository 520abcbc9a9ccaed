/**
 * The encoder contract (`Encoder`, `EncoderOutput`, `WordBatch`) is defined in
 * @spanrel/tensor-core, so heads can use it without this package's dependencies;
 * it is re-exported here unchanged for existing imports.
 */
export type { Encoder, EncoderOutput, WordBatch } from '@spanrel/tensor-core';
