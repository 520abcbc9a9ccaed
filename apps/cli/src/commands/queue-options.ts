/** The flags `spanrel queue submit`, `spanrel queue status` and `spanrel worker` share: where the queue is. */
import { DEFAULT_QUEUE_NAME, parseRedisUrl } from '@spanrel/queue';
import { UsageError } from '../command.js';

export const QUEUE_OPTIONS = {
  redis: { type: 'string' },
  queue: { type: 'string' },
} as const;

/** The usage lines of `--redis` and `--queue`, descriptions starting at column `width` (as the command's other flags). */
export function queueUsage(width = 12): string {
  const flag = (name: string) => `  ${name}`.padEnd(width);
  return [
    `${flag('--redis')}the Redis URL, redis://HOST:PORT[/DB] (or rediss:// for TLS); or set SPANREL_REDIS_URL`,
    `${flag('--queue')}the queue name (default ${DEFAULT_QUEUE_NAME}); submit, workers and status must agree`,
  ].join('\n');
}

/** `--redis`, else SPANREL_REDIS_URL, checked. */
export function redisUrlFlag(values: Record<string, unknown>): string {
  const url = typeof values.redis === 'string' ? values.redis : process.env.SPANREL_REDIS_URL;
  if (!url) throw new UsageError('missing required option --redis (or SPANREL_REDIS_URL)');
  try {
    parseRedisUrl(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`);
  }
  return url;
}

/** `--queue`, else the default queue. */
export function queueNameFlag(values: Record<string, unknown>): string {
  const name = values.queue;
  if (name === undefined) return DEFAULT_QUEUE_NAME;
  if (typeof name !== 'string' || name === '' || name.includes(':')) throw new UsageError(`--queue must be a non-empty name without ":", got "${String(name)}"`);
  return name;
}
