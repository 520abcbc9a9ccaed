/**
 * A throwaway `redis-server` on a free loopback port, without persistence: for tests of the
 * queue (here, in the CLI, in apps that embed the worker) and for trying the queue locally.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. */
  stop(): Promise<void>;
}

/** The message when there is no redis-server to start. */
export const REDIS_SERVER_MISSING =
  'redis-server is not installed (the queue tests start their own on a loopback port): run `bash scripts/system-deps.sh` in the spanrel repository (it installs the Debian package redis-server), or install redis-server another way';

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Waits for the server to say it is ready; rejects with its output when it exits or takes longer than `timeoutMs`. */
function whenReady(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const done = (error?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (/Ready to accept connections/.test(output)) done();
    };
    const onExit = (code: number | null) => done(new Error(`redis-server exited (code ${code}) before it was ready:\n${output.trim().split('\n').slice(-5).join('\n')}`));
    const onError = (error: NodeJS.ErrnoException) => done(error.code === 'ENOENT' ? new Error(REDIS_SERVER_MISSING) : error);
    const timer = setTimeout(() => done(new Error(`redis-server was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/**
 * Starts `redis-server` (`binary`, default from PATH) on a free port of 127.0.0.1, with no
 * snapshots and no append-only file (`--save '' --appendonly no`), in a temp folder. Throws
 * `REDIS_SERVER_MISSING` when there is no redis-server. Tries three ports in case one is
 * taken between the check and the start.
 */
export async function startRedisServer(options: { binary?: string; timeoutMs?: number } = {}): Promise<RedisServer> {
  const binary = options.binary ?? 'redis-server';
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'spanrel-redis-'));
    const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--loglevel', 'notice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await whenReady(child, options.timeoutMs ?? 10_000);
    } catch (error) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      lastError = error as Error;
      if (lastError.message === REDIS_SERVER_MISSING) throw lastError;
      continue;
    }
    child.stdout?.resume(); // keep reading its log, so that a full pipe never blocks it
    child.stderr?.resume();
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return {
      url: `redis://127.0.0.1:${port}`,
      port,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  throw lastError ?? new Error('redis-server did not start');
}
