/** Enqueueing shards: one job per shard, idempotent. */
import { mkdirSync } from 'node:fs';
import { DEFAULT_ATTEMPTS } from './queue-defaults.js';
import { shardJobId, type ShardJobData } from './shard-job.js';
import { assertDistinctOutputs, shardOutputPath } from './shard-paths.js';
import type { ShardQueue } from './shard-queue.js';

/** Options of `submitShards`. */
export interface SubmitOptions {
  /** Tries per job (default `DEFAULT_ATTEMPTS`); retries wait 1 s, 2 s, 4 s, ... */
  attempts?: number;
  /** One line per shard (default: none). */
  log?: (line: string) => void;
}

/** What `submitShards` did, shard by shard. */
export interface SubmitSummary {
  /** New jobs. */
  added: string[];
  /** Jobs that were already in the queue (waiting, active, delayed or completed): left as they are. */
  existing: string[];
  /** Failed jobs of earlier submissions, sent back to the queue. */
  retried: string[];
}

/**
 * Adds one job per shard to `queue`, writing to `outDir/<shard name>` (the folder is made).
 * The job id comes from the shard's path (`shardJobId`), so submitting the same shards again
 * adds nothing for shards already queued or done, and sends failed ones back to the queue.
 * Throws, before adding anything, when two shards would write the same output, and when a
 * shard is already queued with another output path.
 */
export async function submitShards(queue: ShardQueue, shards: readonly string[], outDir: string, options: SubmitOptions = {}): Promise<SubmitSummary> {
  const log = options.log ?? (() => {});
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  assertDistinctOutputs(shards, outDir);
  mkdirSync(outDir, { recursive: true });
  const jobs = shards.map((shard) => ({ id: shardJobId(shard), data: { shard, out: shardOutputPath(shard, outDir) } satisfies ShardJobData }));
  const found = await Promise.all(jobs.map((job) => queue.getJob(job.id)));
  const conflicts = jobs.filter((job, i) => found[i] && found[i]!.data.out !== job.data.out);
  if (conflicts.length > 0) {
    const [first] = conflicts;
    const other = found[jobs.indexOf(first)]!.data.out;
    throw new Error(`${first.data.shard} is already in queue "${queue.name}" with output ${other}, not ${first.data.out} (${conflicts.length} shard(s) like it): use another --queue, or the first --out`);
  }
  const summary: SubmitSummary = { added: [], existing: [], retried: [] };
  for (const [i, job] of jobs.entries()) {
    const previous = found[i];
    if (!previous) {
      // An add with an id that exists meanwhile (another submit) adds nothing: still idempotent.
      await queue.add(job.data.shard, job.data, {
        jobId: job.id,
        attempts,
        backoff: { type: 'exponential', delay: 1000 },
        // Kept, for `status` and so that a re-submit sees them.
        removeOnComplete: false,
        removeOnFail: false,
      });
      summary.added.push(job.id);
      log(`${job.data.shard}: queued as ${job.id}`);
    } else if ((await previous.getState()) === 'failed') {
      await previous.retry('failed');
      summary.retried.push(job.id);
      log(`${job.data.shard}: had failed (${previous.failedReason}); queued again`);
    } else {
      summary.existing.push(job.id);
      log(`${job.data.shard}: already queued or done (${job.id})`);
    }
  }
  return summary;
}
