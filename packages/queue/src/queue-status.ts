/** How far a shard queue is: job counts, and why jobs failed. */
import { DEFAULT_QUEUE_NAME } from './queue-defaults.js';
import type { ShardQueue } from './shard-queue.js';

/** A failed job, with the error of its last try. */
export interface FailedShard {
  id: string;
  shard: string;
  reason: string;
  attemptsMade: number;
}

/** The state of a shard queue. */
export interface QueueStatus {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
  /** Workers connected to the queue now; null when Redis does not say (CLIENT LIST refused). */
  workers: number | null;
  /** The failed jobs (at most `maxFailed`, oldest first). */
  failedJobs: FailedShard[];
}

/** The counts of `queue` and its failed jobs with their reasons (at most `maxFailed` of them). */
export async function queueStatus(queue: ShardQueue, maxFailed = 100): Promise<QueueStatus> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'paused', 'active', 'delayed', 'completed', 'failed');
  const failed = counts.failed > 0 ? await queue.getFailed(0, maxFailed - 1) : [];
  const workers = await queue.getWorkersCount().catch(() => null);
  return {
    queue: queue.name,
    waiting: counts.waiting + counts.prioritized + counts.paused,
    active: counts.active,
    delayed: counts.delayed,
    completed: counts.completed,
    failed: counts.failed,
    workers,
    failedJobs: failed
      .filter((job) => job !== undefined)
      .map((job) => ({ id: String(job.id), shard: job.data.shard, reason: job.failedReason ?? '(no reason recorded)', attemptsMade: job.attemptsMade }))
      .sort((a, b) => a.shard.localeCompare(b.shard)),
  };
}

/** The status as lines: counts, then each failed job's shard, tries and reason. */
export function formatQueueStatus(status: QueueStatus): string {
  const rows: [string, number | string][] = [
    ['waiting', status.waiting],
    ['active', status.active],
    ['delayed', status.delayed],
    ['completed', status.completed],
    ['failed', status.failed],
    ['workers', status.workers ?? '?'],
  ];
  const lines = [`queue ${status.queue === DEFAULT_QUEUE_NAME ? `${status.queue} (default)` : status.queue}`];
  for (const [name, value] of rows) lines.push(`  ${`${name}`.padEnd(10)} ${String(value).padStart(6)}`);
  if (status.failedJobs.length > 0) {
    lines.push(`failed jobs${status.failed > status.failedJobs.length ? ` (first ${status.failedJobs.length} of ${status.failed})` : ''}:`);
    for (const job of status.failedJobs) lines.push(`  ${job.shard} (job ${job.id}, ${job.attemptsMade} tr${job.attemptsMade === 1 ? 'y' : 'ies'}): ${job.reason}`);
  }
  return lines.join('\n');
}
