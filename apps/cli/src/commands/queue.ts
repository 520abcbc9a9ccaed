/** `spanrel queue submit` and `spanrel queue status`: thin layers over @spanrel/queue. */
import { DEFAULT_ATTEMPTS, describeRedisUrl, expandShardPattern, formatQueueStatus, openShardQueue, queueStatus, submitShards } from '@spanrel/queue';
import { optionalInt, requireString, type Command } from '../command.js';
import { QUEUE_OPTIONS, queueUsage, queueNameFlag, redisUrlFlag } from './queue-options.js';

export const queueSubmitCommand: Command = {
  name: 'queue submit',
  summary: 'queue shards of documents (DyGIE++ JSONL) for `spanrel worker`s to predict, one job per shard',
  usage: `spanrel queue submit --input 'shards/*.jsonl' --out DIR --redis URL [--queue NAME] [--attempts N]
  --input     the shards: a file, a folder (its .jsonl files) or a quoted pattern with wildcards in the
              file name, e.g. 'shards/*.jsonl'; may be repeated. Each is DyGIE++ JSONL, one document a
              line, as spanrel predict --input reads .jsonl. Paths are stored absolute: every worker
              must see the shards and DIR at the same paths (a shared filesystem)
  --out       the folder of the predictions: DIR/<shard file name>, DyGIE++ JSONL
${queueUsage(14)}
  --attempts  tries per shard when predicting it fails (default ${DEFAULT_ATTEMPTS})
Submitting the same shards again is safe: a shard already queued or done is left alone (its job
id comes from its path), a failed one is queued again.`,
  options: { input: { type: 'string', multiple: true }, out: { type: 'string' }, attempts: { type: 'string' }, ...QUEUE_OPTIONS },
  async run(values, io) {
    const patterns = (values.input as string[] | undefined) ?? [];
    if (patterns.length === 0) requireString(values, 'input');
    const out = requireString(values, 'out');
    const redisUrl = redisUrlFlag(values);
    const queueName = queueNameFlag(values);
    const attempts = optionalInt(values, 'attempts', DEFAULT_ATTEMPTS);
    const shards = [...new Set(patterns.flatMap((pattern) => expandShardPattern(pattern)))].sort();
    const queue = await openShardQueue(redisUrl, { queueName });
    try {
      const summary = await submitShards(queue, shards, out, { attempts });
      io.out(
        `${shards.length} shard${shards.length === 1 ? '' : 's'} -> queue "${queueName}" at ${describeRedisUrl(redisUrl)}: ` +
          `${summary.added.length} queued, ${summary.existing.length} already queued or done, ${summary.retried.length} failed ones queued again; outputs in ${out}`,
      );
      return 0;
    } finally {
      await queue.close();
    }
  },
};

export const queueStatusCommand: Command = {
  name: 'queue status',
  summary: 'the jobs of a queue: waiting, active, completed, failed (with reasons), and its workers',
  usage: `spanrel queue status --redis URL [--queue NAME] [--json]
${queueUsage(14)}
  --json      the status as JSON`,
  options: { json: { type: 'boolean' }, ...QUEUE_OPTIONS },
  async run(values, io) {
    const redisUrl = redisUrlFlag(values);
    const queue = await openShardQueue(redisUrl, { queueName: queueNameFlag(values) });
    try {
      const status = await queueStatus(queue);
      io.out(values.json === true ? JSON.stringify(status, null, 2) : `${formatQueueStatus(status)}\n(at ${describeRedisUrl(redisUrl)})`);
      return 0;
    } finally {
      await queue.close();
    }
  },
};
