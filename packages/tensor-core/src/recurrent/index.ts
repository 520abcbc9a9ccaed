/**
 * Recurrent layers: a differentiable LSTM (`"lstm.v1"`) and a stacked
 * bidirectional LSTM with optional highway connections (`"bilstm.v1"`), both
 * over padded `[B, T, D]` batches with an explicit `[B, T]` mask.
 */
import { registry } from '../module/index.js';
import { BiLstm } from './bilstm.js';
import { Lstm } from './lstm.js';

export { Lstm, type LstmConfig } from './lstm.js';
export { BiLstm, type BiLstmConfig } from './bilstm.js';
export { lstmRecurrence } from './lstm-recurrence.js';
export { permuteRows, readingOrder, type ReadingOrder } from './reading-order.js';
export { orthogonalBlocks, orthogonalMatrix } from './orthogonal.js';

// Registered on import; skipped when already there (a second copy of this module).
if (!registry.has(Lstm.kind)) registry.register(Lstm.kind, (config: import('./lstm.js').LstmConfig) => new Lstm(config));
if (!registry.has(BiLstm.kind)) registry.register(BiLstm.kind, (config: import('./bilstm.js').BiLstmConfig) => new BiLstm(config));
