/** `spanrel worker`: predicts queued shards with a model until stopped; a thin layer over @spanrel/queue. */
import { closeOnSignals, DEFAULT_LOCK_DURATION_MS, DEFAULT_STALLED_INTERVAL_MS, modelPredictor, startShardWorker } from '@spanrel/queue';
import { optionalInt, UsageError, type Command } from '../command.js';
import { BACKEND_USAGE, loadModelFlag, startBackend } from '../model-runtime.js';
import { QUEUE_OPTIONS, queueUsage, queueNameFlag, redisUrlFlag } from './queue-options.js';

/** Test hook (not for production): hold each shard this many ms before writing it, so a test can kill the worker mid-shard. */
const HOLD_ENV = 'SPANREL_WORKER_HOLD_MS';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'predict the shards of a queue (spanrel queue submit) with a model, on as many machines as you like',
  usage: `spanrel worker --model DIR --redis URL [--queue NAME] [--concurrency N] [--lock-duration MS] [--stalled-interval MS]
  --model             a model folder, or the --out folder of spanrel train
${queueUsage(22)}
  --concurrency       shards predicted at once by this process (default 1)
  --lock-duration     ms a job stays locked to this worker without renewal (default ${DEFAULT_LOCK_DURATION_MS}); it is
                      renewed while the worker runs, so it expires only when the worker is gone
  --stalled-interval  ms between checks for jobs whose worker is gone (default ${DEFAULT_STALLED_INTERVAL_MS}); such a job
                      goes back to the queue, for this or another worker
${BACKEND_USAGE}
Each shard's predictions are written to a temp file beside the output, then renamed onto it, so an
output is whole or absent; a shard whose output is already complete is skipped (a retried job never
writes a document twice). Ctrl-C / SIGTERM: finish the current shard, then stop; a second one stops
at once (the shard is then retried by another worker).`,
  options: {
    model: { type: 'string' },
    concurrency: { type: 'string' },
    'lock-duration': { type: 'string' },
    'stalled-interval': { type: 'string' },
    backend: { type: 'string' },
    ...QUEUE_OPTIONS,
  },
  async run(values, io) {
    if (typeof values.model !== 'string') throw new UsageError('missing required option --model');
    const redisUrl = redisUrlFlag(values);
    const queueName = queueNameFlag(values);
    const concurrency = optionalInt(values, 'concurrency', 1);
    const lockDurationMs = optionalInt(values, 'lock-duration', DEFAULT_LOCK_DURATION_MS);
    const stalledIntervalMs = optionalInt(values, 'stalled-interval', DEFAULT_STALLED_INTERVAL_MS);
    const holdBeforeWriteMs = Number(process.env[HOLD_ENV] ?? 0) || 0;

    await startBackend(values, io);
    const model = await loadModelFlag(values, io);
    try {
      const log = (line: string) => io.err(line);
      const worker = await startShardWorker({ redisUrl, queueName, predict: modelPredictor(model), concurrency, lockDurationMs, stalledIntervalMs, holdBeforeWriteMs, log });
      const removeHandlers = closeOnSignals(worker, { log });
      try {
        await worker.closed;
      } finally {
        removeHandlers();
      }
      io.err(`worker ${worker.name}: stopped`);
      return 0;
    } finally {
      model.dispose();
    }
  },
};
