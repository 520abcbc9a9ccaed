import { describe, expect, it, vi } from 'vitest';
import { closeOnSignals } from './shutdown-signals.js';
import type { ShardWorker } from './shard-worker.js';

describe('closeOnSignals', () => {
  it('closes the worker gently on the first signal, exits 130 on the second, and can be removed', () => {
    const close = vi.fn(async () => {});
    const worker = { name: 'w', close } as unknown as ShardWorker;
    const exit = vi.fn();
    const lines: string[] = [];
    // SIGUSR2 stands in for SIGINT / SIGTERM: emitted, not sent, so nothing else sees it.
    const remove = closeOnSignals(worker, { log: (l) => lines.push(l), exit, signals: ['SIGUSR2'] });
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(close).toHaveBeenCalledWith(); // not forced: the current shard is finished
    expect(exit).not.toHaveBeenCalled();
    expect(lines[0]).toMatch(/^SIGUSR2: finishing the current shard, then stopping/);
    process.emit('SIGUSR2', 'SIGUSR2');
    expect(exit).toHaveBeenCalledWith(130);
    expect(lines[1]).toMatch(/^SIGUSR2: stopping now; the shard in hand will be retried by another worker/);
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});
