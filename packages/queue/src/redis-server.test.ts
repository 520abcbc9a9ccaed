import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { REDIS_SERVER_MISSING, startRedisServer } from './redis-server.js';

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('startRedisServer', () => {
  it('starts redis-server on a loopback port that answers PING, and stops it', async () => {
    const server = await startRedisServer();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.write('PING\r\n'));
      socket.once('data', (data) => (socket.destroy(), resolve(data.toString())));
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
    await server.stop();
    expect(await listening(server.port)).toBe(false);
  });

  it('says to run scripts/system-deps.sh when there is no redis-server', async () => {
    await expect(startRedisServer({ binary: '/nonexistent/redis-server' })).rejects.toThrow(REDIS_SERVER_MISSING);
    expect(REDIS_SERVER_MISSING).toContain('bash scripts/system-deps.sh');
  });
});
