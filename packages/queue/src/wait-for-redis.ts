/** Fail fast, with the URL, when Redis cannot be reached (ioredis would otherwise retry forever). */
import { DEFAULT_CONNECT_TIMEOUT_MS } from './queue-defaults.js';
import { describeRedisUrl } from './redis-connection.js';

/** What `waitForRedis` needs of a BullMQ Queue or Worker. */
interface RedisUser {
  waitUntilReady(): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Waits until `client` is connected; after `timeoutMs` closes it (a connection still being
 * made is dropped, so that no reconnect timer keeps the process alive) and throws an error
 * naming the URL.
 */
export async function waitForRedis(client: RedisUser, url: string, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const result = await Promise.race([client.waitUntilReady().then(() => 'ready' as const), timeout]);
    if (result === 'timeout') {
      // Not awaited: the close of a connection never made settles only once it is dropped.
      void client.close().catch(() => {});
      throw new Error(`cannot reach Redis at ${describeRedisUrl(url)} (no connection within ${Math.round(timeoutMs / 1000)} s): is redis-server running there?`);
    }
  } finally {
    clearTimeout(timer);
  }
}
