/** The BullMQ queue of shard jobs, opened on a Redis URL. */
import { Queue } from 'bullmq';
import { DEFAULT_CONNECT_TIMEOUT_MS, DEFAULT_QUEUE_NAME } from './queue-defaults.js';
import { redisConnection } from './redis-connection.js';
import type { ShardJobData, ShardJobResult } from './shard-job.js';
import { waitForRedis } from './wait-for-redis.js';

/** A queue of shard jobs. */
export type ShardQueue = Queue<ShardJobData, ShardJobResult>;

/** Options of `openShardQueue`. */
export interface OpenQueueOptions {
  /** The queue name (default `DEFAULT_QUEUE_NAME`). */
  queueName?: string;
  /** How long to wait for Redis before failing (ms). */
  connectTimeoutMs?: number;
}

/** Opens the shard queue `queueName` on the Redis at `redisUrl`, connected (or an error naming the URL). Close it when done. */
export async function openShardQueue(redisUrl: string, options: OpenQueueOptions = {}): Promise<ShardQueue> {
  const queue: ShardQueue = new Queue<ShardJobData, ShardJobResult>(options.queueName ?? DEFAULT_QUEUE_NAME, { connection: redisConnection(redisUrl) });
  // Without a listener, a connection error would be an unhandled 'error' event.
  queue.on('error', () => {});
  await waitForRedis(queue, redisUrl, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
  return queue;
}
