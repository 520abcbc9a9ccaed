/** A BullMQ worker that predicts shards. */
import { Worker, type Job } from 'bullmq';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_LOCK_DURATION_MS,
  DEFAULT_MAX_STALLED_COUNT,
  DEFAULT_QUEUE_NAME,
  DEFAULT_STALLED_INTERVAL_MS,
} from './queue-defaults.js';
import { predictShard, workerName, type ShardPredictor } from './predict-shard.js';
import { describeRedisUrl, redisConnection } from './redis-connection.js';
import type { ShardJobData, ShardJobResult } from './shard-job.js';
import { waitForRedis } from './wait-for-redis.js';

/** Options of `startShardWorker`. */
export interface ShardWorkerOptions {
  redisUrl: string;
  /** Predicts a shard's sentences: `modelPredictor(model)`. */
  predict: ShardPredictor;
  /** Default `DEFAULT_QUEUE_NAME`. */
  queueName?: string;
  /** Shards predicted at the same time by this process (default 1). */
  concurrency?: number;
  /** See `DEFAULT_LOCK_DURATION_MS`; lower it (with `stalledIntervalMs`) so a dead worker's job is retried sooner. */
  lockDurationMs?: number;
  /** See `DEFAULT_STALLED_INTERVAL_MS`. */
  stalledIntervalMs?: number;
  /** See `DEFAULT_MAX_STALLED_COUNT`. */
  maxStalledCount?: number;
  /** How long to wait for Redis at start (ms). */
  connectTimeoutMs?: number;
  /** Progress lines: each shard started, skipped, written or failed; stalled jobs taken back. */
  log?: (line: string) => void;
  /**
   * Test hook: hold each shard this long after predicting, before writing its output (ms),
   * so that a test can kill the worker while it holds a job. Not for production use.
   */
  holdBeforeWriteMs?: number;
}

/** A running shard worker. */
export interface ShardWorker {
  /** `host:pid`, recorded as `processedBy` and in each job's result. */
  readonly name: string;
  /** The BullMQ worker (events, `isRunning()`, ...). */
  readonly worker: Worker<ShardJobData, ShardJobResult>;
  /**
   * Stops taking jobs and resolves once the current ones are finished (and recorded), then
   * closes the connections. `force`: do not wait; the jobs in hand are then retried by another
   * worker once their lock expires.
   */
  close(force?: boolean): Promise<void>;
  /** Resolves once the worker has closed (by `close`, or `closeOnSignals`). */
  readonly closed: Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts a worker on the shard queue: it takes jobs one by one (or `concurrency` at a time),
 * runs `predictShard` on each (skip when the output is complete, else predict and write it
 * atomically) and records the result. A job whose worker dies is found by another worker's
 * stalled-job check (every `stalledIntervalMs`, once its lock of `lockDurationMs` has expired)
 * and put back in the queue. Resolves once connected; errors name the Redis URL.
 */
export async function startShardWorker(options: ShardWorkerOptions): Promise<ShardWorker> {
  const log = options.log ?? (() => {});
  const name = workerName();
  const hold = options.holdBeforeWriteMs ?? 0;
  const processShardJob = async (job: Job<ShardJobData, ShardJobResult>): Promise<ShardJobResult> => {
    const tries = job.attemptsMade > 0 || job.stalledCounter > 0 ? ` (again: ${job.attemptsMade} failed tr${job.attemptsMade === 1 ? 'y' : 'ies'}, stalled ${job.stalledCounter}x)` : '';
    log(`job ${job.id}: started${tries}`);
    return predictShard(job.data, options.predict, { log, worker: name, beforeWrite: hold > 0 ? () => sleep(hold) : undefined });
  };
  const worker = new Worker<ShardJobData, ShardJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, processShardJob, {
    connection: redisConnection(options.redisUrl),
    name,
    concurrency: options.concurrency ?? 1,
    lockDuration: options.lockDurationMs ?? DEFAULT_LOCK_DURATION_MS,
    stalledInterval: options.stalledIntervalMs ?? DEFAULT_STALLED_INTERVAL_MS,
    maxStalledCount: options.maxStalledCount ?? DEFAULT_MAX_STALLED_COUNT,
    autorun: false,
  });
  worker.on('completed', (job) => log(`job ${job.id}: done (${job.returnvalue.outcome})`));
  worker.on('failed', (job, error) => {
    const left = job ? (job.opts.attempts ?? 1) - job.attemptsMade : 0;
    log(`job ${job?.id ?? '?'}: failed: ${error.message}${left > 0 ? ` (will be retried, ${left} tr${left === 1 ? 'y' : 'ies'} left)` : ''}`);
  });
  worker.on('stalled', (jobId) => log(`job ${jobId}: its worker stopped holding it (stalled); back in the queue`));
  worker.on('error', (error) => log(`worker error: ${error.message}`));
  const closed = new Promise<void>((resolve) => worker.once('closed', () => resolve()));
  await waitForRedis(worker, options.redisUrl, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  void worker.run().catch((error: Error) => log(`worker stopped: ${error.message}`));
  log(`worker ${name}: waiting for shards on queue "${worker.name}" at ${describeRedisUrl(options.redisUrl)} (concurrency ${options.concurrency ?? 1})`);
  return { name, worker, close: (force = false) => worker.close(force), closed };
}
