/**
 * `@spanrel/serve`: an HTTP server over a joint model (Fastify). `POST /predict`
 * takes raw text or word-tokenized sentences and answers SpERT JSON documents;
 * concurrent requests share forward passes (micro-batching); request limits
 * answer 400 / 413 with what is wrong; `close()` finishes requests in flight.
 */
export const PACKAGE_NAME = '@spanrel/serve';

export {
  createServer,
  startServer,
  type RunningServer,
  type ServeStats,
  type ServerOptions,
  type SpanrelServer,
  type StartServerOptions,
} from './server.js';
export { DEFAULT_LIMITS, checkLimits, type ServeLimits } from './limits.js';
export { DEFAULT_BATCHING, MicroBatcher, type BatchInfo, type BatchingOptions } from './micro-batcher.js';
export { PREDICT_BODY_SCHEMA, requestSentences, type PredictBody } from './predict-request.js';
export { RequestError, type LimitExceeded } from './request-error.js';
export { errorReply, type ErrorReply, type RequestHeaders } from './error-reply.js';
export { modelInfo, presetOfModelDir, type ModelInfo } from './model-info.js';
export { spertEntry, type SpertEntry } from './spert-entry.js';
