export type { Encoder, EncoderOutput, WordBatch } from './encoder.js';
