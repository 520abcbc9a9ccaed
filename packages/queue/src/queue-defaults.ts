/** Defaults shared by `submitShards`, `startShardWorker` and `queueStatus` (and the CLI). */

/** The BullMQ queue the shards go to when no name is given. */
export const DEFAULT_QUEUE_NAME = 'spanrel-predict';

/**
 * How long a worker's lock on a job lasts without renewal (ms). The worker renews it every
 * half of this while it predicts (between slices of sentences), so it only expires when the
 * worker is gone; then the job is "stalled" and another worker takes it.
 */
export const DEFAULT_LOCK_DURATION_MS = 60_000;

/** How often a worker looks for stalled jobs, i.e. jobs whose worker died (ms). */
export const DEFAULT_STALLED_INTERVAL_MS = 30_000;

/** A job stalled more often than this fails instead of going back to the queue. */
export const DEFAULT_MAX_STALLED_COUNT = 2;

/** Tries per job: a shard that fails is retried (exponential backoff from 1 s) this many times in all. */
export const DEFAULT_ATTEMPTS = 3;

/** How long `submit` / `status` / a worker wait for Redis before saying it cannot be reached (ms). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
