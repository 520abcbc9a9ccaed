/** Redis URLs as BullMQ connection options, checked and printable without their password. */
import type { ConnectionOptions } from 'bullmq';

/** Checks a `redis://` / `rediss://` URL and returns it parsed; throws an error that names the flag value. */
export function parseRedisUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a Redis URL (expected redis://HOST:PORT[/DB], e.g. redis://127.0.0.1:6379)`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`"${url}": a Redis URL starts with redis:// or rediss:// (TLS), not ${parsed.protocol}//`);
  }
  return parsed;
}

/**
 * BullMQ connection options for a Redis URL. `maxRetriesPerRequest: null` is what BullMQ
 * requires of a worker's connection (its blocking commands must wait, not fail).
 */
export function redisConnection(url: string): ConnectionOptions {
  parseRedisUrl(url);
  return { url, maxRetriesPerRequest: null };
}

/** The URL with its password replaced by `***`, for progress output. */
export function describeRedisUrl(url: string): string {
  const parsed = parseRedisUrl(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
