import type { Document } from '@spanrel/datasets';
import type { DecodeStats, SentenceInput } from '../decoding/decode.js';

/** What the calling thread sends a prediction worker. */
export type PredictRequest =
  | { type: 'load'; dir: string; backend: string; fused: boolean }
  | { type: 'predict'; id: number; sentences: SentenceInput[]; withTags: boolean };

/** What a prediction worker answers. */
export type PredictReply =
  | { type: 'loaded'; dir: string }
  | { type: 'result'; id: number; documents: Document[]; stats: DecodeStats }
  | { type: 'error'; id: number | null; message: string };
