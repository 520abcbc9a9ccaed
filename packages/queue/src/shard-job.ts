/** What a queued job is: one shard of documents in, one predictions file out. */
import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';

/** A job's data: absolute paths, so that every worker (same shared filesystem) finds the files. */
export interface ShardJobData {
  /** The shard: DyGIE++ JSONL, one document per line. */
  shard: string;
  /** Where the predictions go (DyGIE++ JSONL, same documents and sentences). */
  out: string;
}

/** What a worker did with a shard (the job's return value, shown by `status` and kept in Redis). */
export interface ShardJobResult {
  /** `written`: predicted and written; `skipped`: its output was already there and complete. */
  outcome: 'written' | 'skipped';
  /** Documents (lines) and sentences of the shard. */
  documents: number;
  sentences: number;
  /** The worker that did it: `host:pid`. */
  worker: string;
}

/**
 * The job id of a shard: its file name plus a hash of its absolute path, so that
 * submitting the same shard again finds the same job (BullMQ then adds nothing), and two
 * shards of the same name in different folders do not collide. (BullMQ ids may not hold `:`.)
 */
export function shardJobId(shardPath: string): string {
  const absolute = resolve(shardPath);
  const hash = createHash('sha256').update(absolute).digest('hex').slice(0, 12);
  const name = basename(absolute).replace(/[^\w.-]/g, '_');
  return `${name}-${hash}`;
}
