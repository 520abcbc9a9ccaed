// Submit, work and status against a real redis-server (started here on a loopback port).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatQueueStatus, queueStatus, type QueueStatus } from './queue-status.js';
import { startRedisServer, type RedisServer } from './redis-server.js';
import { openShardQueue, type ShardQueue } from './shard-queue.js';
import { startShardWorker } from './shard-worker.js';
import { submitShards } from './submit-shards.js';
import { fakePredictor, writeShard } from './testing/shards.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-queue-'));
let redis: RedisServer;
const queues: ShardQueue[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string): Promise<ShardQueue> {
  const queue = await openShardQueue(redis.url, { queueName: name });
  queues.push(queue);
  return queue;
}

/** Polls the status until `done` says so (or fails after `timeoutMs`). */
async function waitForStatus(queue: ShardQueue, done: (s: QueueStatus) => boolean, timeoutMs = 20_000): Promise<QueueStatus> {
  const start = Date.now();
  for (;;) {
    const status = await queueStatus(queue);
    if (done(status)) return status;
    if (Date.now() - start > timeoutMs) throw new Error(`queue did not get there in ${timeoutMs} ms: ${JSON.stringify(status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('submitShards and queueStatus', () => {
  it('queue one job per shard; submitting again adds nothing', async () => {
    const queue = await open('idempotent');
    const shards = ['s1', 's2', 's3'].map((name) => writeShard(dir, `${name}.jsonl`, [name]));
    const first = await submitShards(queue, shards, join(dir, 'out-idem'));
    expect([first.added.length, first.existing.length, first.retried.length]).toEqual([3, 0, 0]);
    const again = await submitShards(queue, shards, join(dir, 'out-idem'));
    expect([again.added.length, again.existing.length, again.retried.length]).toEqual([0, 3, 0]);
    expect(await queueStatus(queue)).toMatchObject({ queue: 'idempotent', waiting: 3, active: 0, completed: 0, failed: 0, failedJobs: [] });
    const job = await queue.getJob(first.added[0]);
    expect(job?.data).toEqual({ shard: shards[0], out: join(dir, 'out-idem', 's1.jsonl') });
    await expect(submitShards(queue, shards, join(dir, 'elsewhere'))).rejects.toThrow(/s1\.jsonl is already in queue "idempotent" with output .*out-idem\/s1\.jsonl, not .*elsewhere\/s1\.jsonl \(3 shard\(s\) like it\)/);
  });

  it('a worker predicts every shard; status counts them and gives the failed ones\' reasons; re-submit retries those', async () => {
    const queue = await open('work');
    const good = ['g1', 'g2', 'g3'].map((name) => writeShard(dir, `${name}.jsonl`, [`${name}-a`, `${name}-b`]));
    const bad = join(dir, 'broken.jsonl');
    writeFileSync(bad, '{"doc_key": "b", "sentences": [["x"]], "ner": [[]], "relations": [[]]}\n{"doc_key": \n');
    const out = join(dir, 'out-work');
    await submitShards(queue, [...good, bad], out, { attempts: 1 });

    const lines: string[] = [];
    const worker = await startShardWorker({ redisUrl: redis.url, queueName: 'work', predict: fakePredictor(), log: (l) => lines.push(l), stalledIntervalMs: 1000, lockDurationMs: 2000 });
    try {
      const status = await waitForStatus(queue, (s) => s.completed + s.failed === 4);
      expect(status).toMatchObject({ waiting: 0, active: 0, completed: 3, failed: 1, workers: 1 });
      expect(status.failedJobs).toHaveLength(1);
      expect(status.failedJobs[0]).toMatchObject({ shard: bad, attemptsMade: 1 });
      expect(status.failedJobs[0].reason).toMatch(/broken\.jsonl: line 2/);
      const text = formatQueueStatus(status);
      expect(text).toMatch(/^queue work\n {2}waiting +0\n {2}active +0\n {2}delayed +0\n {2}completed +3\n {2}failed +1\n {2}workers +1\nfailed jobs:\n/);
      expect(text).toContain(`${bad} (job ${status.failedJobs[0].id}, 1 try): ${status.failedJobs[0].reason}`);
      for (const shard of good) expect(existsSync(join(out, shard.split('/').pop()!))).toBe(true);
      expect(existsSync(join(out, 'broken.jsonl'))).toBe(false);
      const completed = await queue.getCompleted();
      expect(completed.map((j) => j.returnvalue)).toEqual(good.map(() => ({ outcome: 'written', documents: 2, sentences: 4, worker: worker.name })));
      expect(completed.map((j) => j.processedBy)).toEqual(good.map(() => worker.name));
      expect(lines.join('\n')).toMatch(/job broken\.jsonl-[0-9a-f]+: failed: .*broken\.jsonl: line 2/);

      // Fixed and submitted again: the failed job is queued again, the done ones are left alone.
      writeShard(dir, 'broken.jsonl', ['fixed']);
      const again = await submitShards(queue, [...good, bad], out, { attempts: 1 });
      expect([again.added.length, again.existing.length, again.retried.length]).toEqual([0, 3, 1]);
      const after = await waitForStatus(queue, (s) => s.completed === 4);
      expect(after).toMatchObject({ failed: 0, failedJobs: [] });
      expect(JSON.parse(readFileSync(join(out, 'broken.jsonl'), 'utf8')).doc_key).toBe('fixed');
    } finally {
      await worker.close();
    }
    await worker.closed;
    expect(await worker.worker.isRunning()).toBe(false);
  });

  it('close() lets the shard in hand finish: its output is written and its job completed', async () => {
    const queue = await open('graceful');
    const shard = writeShard(dir, 'slow.jsonl', ['slow']);
    const out = join(dir, 'out-graceful');
    await submitShards(queue, [shard], out);
    // The shard is held 1 s between predicting and writing; close() comes in that second.
    const worker = await startShardWorker({ redisUrl: redis.url, queueName: 'graceful', predict: fakePredictor(), holdBeforeWriteMs: 1000 });
    await waitForStatus(queue, (s) => s.active === 1);
    expect(existsSync(join(out, 'slow.jsonl'))).toBe(false);
    await worker.close();
    expect(existsSync(join(out, 'slow.jsonl'))).toBe(true);
    expect(await queueStatus(queue)).toMatchObject({ waiting: 0, active: 0, completed: 1, failed: 0 });
  });

  it('says when Redis cannot be reached, with the URL', async () => {
    const stopped = await startRedisServer();
    await stopped.stop();
    await expect(openShardQueue(stopped.url, { connectTimeoutMs: 500 })).rejects.toThrow(`cannot reach Redis at ${stopped.url}`);
  });
});
