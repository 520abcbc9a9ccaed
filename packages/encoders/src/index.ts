export type { Encoder, EncoderOutput, WordBatch } from './encoder.js';
export * from './vocab/index.js';
export * from './bilstm/index.js';
export * from './bert/index.js';
export * from './frozen/index.js';
