/**
 * The prediction server: `createServer` builds the Fastify app over a loaded
 * model (routes, schema, limits, micro-batching) without listening, so that an
 * app can mount or inject it; `startServer` loads a model folder if given one,
 * listens, and returns the address and `close()`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { Document } from '@spanrel/datasets';
import { decodeDocumentsWithTags, loadModel, resolveModelFolder, type DocumentScores, type JointModel, type SentenceInput } from '@spanrel/joint';
import { backendInfo, initBackend } from '@spanrel/tensor-core';
import { errorReply } from './error-reply.js';
import { checkLimits, DEFAULT_LIMITS, type ServeLimits } from './limits.js';
import { DEFAULT_BATCHING, MicroBatcher, type BatchInfo, type BatchingOptions } from './micro-batcher.js';
import { modelInfo, presetOfModelDir } from './model-info.js';
import { PREDICT_BODY_SCHEMA, requestSentences, type PredictBody } from './predict-request.js';
import { spertEntry } from './spert-entry.js';

/** A predicted document and the scores of its entities and relations. */
interface Scored {
  doc: Document;
  scores: DocumentScores;
}

/** Options of {@link createServer}: limits, batching, and what `GET /model` says. */
export interface ServerOptions extends Partial<ServeLimits>, Partial<BatchingOptions> {
  /** The preset the model was trained from, for `GET /model` (default null: unknown). */
  preset?: string | null;
  /** Called after each forward pass (requests and sentences in it, time). */
  onBatch?: (batch: BatchInfo) => void;
  /** Fastify's logger (default false). */
  logger?: boolean;
}

/** Counts since the server started. */
export interface ServeStats {
  /** `POST /predict` requests that reached the model (valid ones). */
  requests: number;
  /** Forward passes (one decoding of a batch, as one `model.predict` call): fewer than requests when requests were batched together. */
  batches: number;
}

/** What {@link createServer} gives: the app (not listening yet) and its counts. */
export interface SpanrelServer {
  app: FastifyInstance;
  stats(): ServeStats;
}

/** Options of {@link startServer}. */
export interface StartServerOptions extends ServerOptions {
  /** A loaded model (the caller keeps it: `close()` does not dispose it), or a model folder / `spanrel train` output folder to load (disposed on `close()`). */
  model: JointModel | string;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default 8080; 0 = any free port. */
  port?: number;
  /** With a folder: the tfjs backend to start before loading it (`initBackend`); default: the one already started, else automatic. */
  backend?: string;
}

/** A listening server. */
export interface RunningServer extends SpanrelServer {
  /** `http://host:port` */
  url: string;
  host: string;
  port: number;
  model: JointModel;
  /** Stops accepting connections, finishes the requests in flight, then frees the model if the server loaded it. */
  close(): Promise<void>;
}

/** The Fastify app serving `model`: `POST /predict`, `GET /model`, `GET /health`. */
export function createServer(model: JointModel, options: ServerOptions = {}): SpanrelServer {
  const limits: ServeLimits = {
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_LIMITS.bodyLimitBytes,
    maxSentences: options.maxSentences ?? DEFAULT_LIMITS.maxSentences,
    maxWordsPerSentence: options.maxWordsPerSentence ?? DEFAULT_LIMITS.maxWordsPerSentence,
  };
  checkLimits(limits);
  const batching: BatchingOptions = { maxWaitMs: options.maxWaitMs ?? DEFAULT_BATCHING.maxWaitMs, maxBatchSize: options.maxBatchSize ?? DEFAULT_BATCHING.maxBatchSize };
  // One pass for the whole batch: the documents of `model.predict` (the same decoding) and their scores.
  const predict = (sentences: SentenceInput[]): Scored[] => {
    const { docs, scores } = decodeDocumentsWithTags(model, sentences);
    return docs.map((doc, i) => ({ doc, scores: scores[i] }));
  };
  const batcher = new MicroBatcher<SentenceInput, Scored>(predict, batching, options.onBatch);
  const info = modelInfo(model, options.preset ?? null);
  const stats = (): ServeStats => ({ requests: batcher.requests, batches: batcher.batches });

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: limits.bodyLimitBytes,
    // Types are checked, never coerced (a number is not a word), and unknown fields are refused, not dropped.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  app.setErrorHandler((error, request, reply) => {
    const length = Number(request.headers['content-length']);
    const body = errorReply(error as Error, limits.bodyLimitBytes, {
      contentLength: request.headers['content-length'] !== undefined && Number.isFinite(length) ? length : undefined,
      contentType: request.headers['content-type'],
    });
    if (body.statusCode >= 500) request.log.error(error);
    return reply.code(body.statusCode).send(body);
  });

  app.post<{ Body: PredictBody }>('/predict', { schema: { body: PREDICT_BODY_SCHEMA } }, async (request) => {
    const sentences = requestSentences(request.body, limits);
    const predicted = await batcher.submit(sentences);
    return { documents: predicted.map(({ doc, scores }) => spertEntry(doc, request.body.scores === true ? scores : undefined)) };
  });
  app.get('/model', async () => info);
  app.get('/health', async () => ({ status: 'ok', ...stats() }));
  // Closing: the requests gathered so far, and any handed over later, run at once (no batching wait);
  // answers still to be sent close their connection (a keep-alive client would otherwise hold the server open).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    await batcher.drain();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => batcher.drain());
  return { app, stats };
}

/** Loads the model if given a folder, then serves it on `host:port` (see {@link createServer}). */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const owned = typeof options.model === 'string';
  let model: JointModel;
  let preset = options.preset ?? null;
  if (typeof options.model === 'string') {
    const dir = resolveModelFolder(options.model);
    if (options.backend !== undefined || !backendInfo()) await initBackend(options.backend !== undefined ? { backend: options.backend } : {});
    model = await loadModel(dir);
    preset = options.preset ?? presetOfModelDir(dir);
  } else {
    model = options.model;
  }
  const server = createServer(model, { ...options, preset });
  if (owned) server.app.addHook('onClose', async () => model.dispose());
  const host = options.host ?? '127.0.0.1';
  try {
    await server.app.listen({ host, port: options.port ?? 8080 });
  } catch (error) {
    await server.app.close();
    throw error;
  }
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return { ...server, url: `http://${urlHost}:${port}`, host, port, model, close: () => server.app.close() };
}
