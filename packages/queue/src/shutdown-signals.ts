/** Stopping a worker on SIGINT / SIGTERM without losing or doubling a shard. */
import type { ShardWorker } from './shard-worker.js';

/** Options of `closeOnSignals`. */
export interface SignalOptions {
  log?: (line: string) => void;
  /** What a second signal does (default `process.exit(130)`). */
  exit?: (code: number) => void;
  signals?: NodeJS.Signals[];
}

/**
 * On the first SIGINT or SIGTERM: stop taking jobs and finish the current shard (its output is
 * written and the job completed). On a second one: exit at once; the shard in hand has no
 * output yet (outputs are written atomically) and its job is retried by another worker once
 * its lock expires. Returns a function that removes the handlers.
 */
export function closeOnSignals(worker: ShardWorker, options: SignalOptions = {}): () => void {
  const log = options.log ?? (() => {});
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ['SIGINT', 'SIGTERM'];
  let received = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    received++;
    if (received === 1) {
      log(`${signal}: finishing the current shard, then stopping (${signal} again to stop now: the shard is then retried by another worker)`);
      void worker.close().catch((error: Error) => log(`closing the worker: ${error.message}`));
    } else {
      log(`${signal}: stopping now; the shard in hand will be retried by another worker`);
      exit(130);
    }
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
