// The queue commands' command line (no Redis needed): sub-command dispatch and usage errors.
import { describe, expect, it } from 'vitest';
import { runCli } from '../main.js';
import { captureIO } from '../testing/capture-io.js';

async function cli(...argv: string[]) {
  const io = captureIO();
  const code = await runCli(argv, io);
  return { code, ...io };
}

describe('spanrel queue / worker command line', () => {
  it('lists the queue sub-commands, in the overview and for `spanrel queue`', async () => {
    const overview = await cli('--help');
    expect(overview.stdout).toMatch(/\n {2}queue submit +queue shards/);
    expect(overview.stdout).toMatch(/\n {2}queue status +the jobs of a queue/);
    expect(overview.stdout).toMatch(/\n {2}worker +predict the shards of a queue/);
    const bare = await cli('queue');
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/^spanrel queue: give a sub-command\n\nusage: spanrel queue <submit\|status> \[options\]\n/);
    expect((await cli('queue', '--help')).code).toBe(0);
    const unknown = await cli('queue', 'purge');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^spanrel: unknown command "queue purge"/);
  });

  it('prints each sub-command\'s usage and says which option is missing or wrong', async () => {
    const help = await cli('queue', 'submit', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: spanrel queue submit --input 'shards\/\*\.jsonl' --out DIR --redis URL/);
    const noRedis = await cli('queue', 'status');
    expect(noRedis.code).toBe(2);
    expect(noRedis.stderr).toMatch(/^spanrel queue status: missing required option --redis \(or SPANREL_REDIS_URL\)\nusage: spanrel queue status/);
    const badUrl = await cli('queue', 'submit', '--input', 'x.jsonl', '--out', 'o', '--redis', 'http://h:1');
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--redis: "http://h:1": a Redis URL starts with redis:// or rediss:// (TLS), not http://');
    const unquoted = await cli('queue', 'submit', '--input', 'a.jsonl', 'b.jsonl', '--out', 'o', '--redis', 'redis://h');
    expect(unquoted.code).toBe(2);
    expect(unquoted.stderr).toMatch(/Unexpected argument 'b\.jsonl'/);
    const worker = await cli('worker', '--redis', 'redis://127.0.0.1:1', '--model', 'm', '--concurrency', '0');
    expect(worker.code).toBe(2);
    expect(worker.stderr).toMatch(/--concurrency must be a positive integer, got "0"/);
  });
});
