import { DEFAULT_BATCHING, DEFAULT_LIMITS, startServer } from '@spanrel/serve';
import { UsageError, type CliIO, type Command } from '../command.js';
import { BACKEND_USAGE, resolveModelDir, startBackend } from '../model-runtime.js';

/** An optional integer flag that may be 0 or more (`--port 0`: any free port; `--max-wait-ms 0`). */
function nonNegativeInt(values: Record<string, unknown>, flag: string, fallback: number): number {
  const value = values[flag];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${flag} must be an integer >= 0, got "${String(value)}"`);
  return n;
}

/** A positive-integer flag. */
function positiveInt(values: Record<string, unknown>, flag: string, fallback: number): number {
  const n = nonNegativeInt(values, flag, fallback);
  if (n < 1) throw new UsageError(`--${flag} must be a positive integer, got "${String(values[flag])}"`);
  return n;
}

/** Resolves with the name of the first SIGINT or SIGTERM the process gets (Ctrl-C, `kill`, a container stop). */
export function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

/**
 * `spanrel serve`, which serves until `waitForShutdown` resolves (by default a
 * SIGINT or SIGTERM; tests pass their own), then finishes the requests in flight.
 */
export function makeServeCommand(waitForShutdown: (url: string, io: CliIO) => Promise<string> = shutdownSignal): Command {
  return {
    name: 'serve',
    summary: 'serve a trained model over HTTP: POST /predict (raw text or words -> SpERT JSON), GET /model, GET /health',
    usage: `spanrel serve --model DIR [--host 127.0.0.1] [--port 8080] [--backend NAME] [limits and batching]
  --model            a model folder, or the --out folder of spanrel train
  --host             the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every interface)
  --port             default 8080; 0 = any free port (the address is printed)
  --max-sentences    most sentences per request (default ${DEFAULT_LIMITS.maxSentences}; more: 413)
  --max-words        most words per sentence (default ${DEFAULT_LIMITS.maxWordsPerSentence}; more: 413)
  --body-limit       largest request body in bytes (default ${DEFAULT_LIMITS.bodyLimitBytes}; more: 413)
  --max-batch-size   concurrent requests share one forward pass of at most this many sentences (default ${DEFAULT_BATCHING.maxBatchSize})
  --max-wait-ms      how long a request waits for others to join its forward pass (default ${DEFAULT_BATCHING.maxWaitMs})
${BACKEND_USAGE}
  POST /predict {"text": "..."}                    raw text, split into sentences and words as predict --text splits it
  POST /predict {"sentences": [["word", ...], ...]}  sentences of words
    add "scores": true for each entity's and relation's score
    -> {"documents": [{"tokens", "entities", "relations"}, ...]} (SpERT JSON); a bad request gets
       {"statusCode", "error", "message"} (400; 413 over a limit, with "limit": {"name", "value", "max"})
  GET /model   entity and relation types, components, preset;   GET /health   {"status": "ok", ...}
  Ctrl-C (SIGINT) or SIGTERM stops the server after the requests in flight are answered.`,
    options: {
      model: { type: 'string' },
      host: { type: 'string' },
      port: { type: 'string' },
      backend: { type: 'string' },
      'max-sentences': { type: 'string' },
      'max-words': { type: 'string' },
      'body-limit': { type: 'string' },
      'max-batch-size': { type: 'string' },
      'max-wait-ms': { type: 'string' },
    },
    async run(values, io) {
      if (typeof values.model !== 'string') throw new UsageError('missing required option --model');
      const options = {
        host: typeof values.host === 'string' ? values.host : '127.0.0.1',
        port: nonNegativeInt(values, 'port', 8080),
        maxSentences: positiveInt(values, 'max-sentences', DEFAULT_LIMITS.maxSentences),
        maxWordsPerSentence: positiveInt(values, 'max-words', DEFAULT_LIMITS.maxWordsPerSentence),
        bodyLimitBytes: positiveInt(values, 'body-limit', DEFAULT_LIMITS.bodyLimitBytes),
        maxBatchSize: positiveInt(values, 'max-batch-size', DEFAULT_BATCHING.maxBatchSize),
        maxWaitMs: nonNegativeInt(values, 'max-wait-ms', DEFAULT_BATCHING.maxWaitMs),
      };
      const dir = resolveModelDir(values.model);
      await startBackend(values, io);
      const server = await startServer({ model: dir, ...options });
      const { model } = server;
      io.err(`model: ${dir} (${model.encoder.name}, ${model.spanHead.name}, ${model.relationHead.name})`);
      io.out(`listening on ${server.url} (POST /predict, GET /model, GET /health)`);
      const signal = await waitForShutdown(server.url, io);
      io.err(`${signal}: finishing the requests in flight`);
      await server.close();
      const { requests, batches } = server.stats();
      io.err(`stopped after ${requests} prediction request${requests === 1 ? '' : 's'} in ${batches} forward pass${batches === 1 ? '' : 'es'}`);
      return 0;
    },
  };
}

export const serveCommand = makeServeCommand();
