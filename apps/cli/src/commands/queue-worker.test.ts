// `spanrel queue submit` + three `spanrel worker` processes + `spanrel queue status`, on a real
// redis-server; one worker is SIGKILLed while it holds a shard, and another one finishes it.
// The workers run the built CLI (dist/bin.js): `bash scripts/pnpm.sh build` first (the root
// `pnpm test` does).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, writeDocuments, type Document } from '@spanrel/datasets';
import { buildModel, resolveSpec, saveModel } from '@spanrel/joint';
import { openShardQueue, startRedisServer, type RedisServer } from '@spanrel/queue';
import { initBackend } from '@spanrel/tensor-core';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { runCli } from '../main.js';
import { captureIO } from '../testing/capture-io.js';

const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const SHARDS = 20;
const DOCS_PER_SHARD = 3;
const SENTENCES_PER_DOC = 2;
const QUEUE = 'kill-test';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-queue-cli-'));
const paths = { model: join(dir, 'model'), shards: join(dir, 'shards'), out: join(dir, 'out') };
let redis: RedisServer;
const children: ChildProcess[] = [];

/** A worker process with its stderr, line by line. */
interface WorkerProcess {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
  /** Resolves with the first line matching `pattern` (or fails after `timeoutMs`, showing the output). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function startWorker(env: Record<string, string> = {}): WorkerProcess {
  const args = [BIN, 'worker', '--model', paths.model, '--redis', redis.url, '--queue', QUEUE, '--backend', 'cpu', '--lock-duration', '2000', '--stalled-interval', '1000'];
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let rest = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        const m = line.match(w.pattern);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      const seen = lines.map((l) => l.match(pattern)).find((m) => m);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${child.pid}: no line like ${pattern} within ${timeoutMs} ms; its output:\n${lines.join('\n')}`)), timeoutMs);
        void exited.then((code) => reject(new Error(`worker ${child.pid} exited (${code}) before a line like ${pattern}; its output:\n${lines.join('\n')}`)));
        waiters.push({ pattern, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      });
    },
  };
}

/** Polls `condition` every 50 ms; fails after `timeoutMs`, naming what it waited for. */
async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The shard documents: sentences of the synthetic corpus, two per document, documents keyed `shard-S-doc-D`. */
function shardDocuments(shard: number, corpus: readonly Document[]): Document[] {
  const docs: Document[] = [];
  for (let d = 0; d < DOCS_PER_SHARD; d++) {
    for (let s = 0; s < SENTENCES_PER_DOC; s++) {
      const source = corpus[(shard * DOCS_PER_SHARD + d) * SENTENCES_PER_DOC + s];
      docs.push({ ...source, id: `shard-${shard}-doc-${d}:${s}`, docKey: `shard-${shard}-doc-${d}`, sentenceIndex: s, extra: undefined });
    }
  }
  return docs;
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the workspace first (bash scripts/pnpm.sh build)`);
  redis = await startRedisServer();
  // An untrained tiny model: its predictions need only be there, one per sentence.
  await initBackend({ backend: 'cpu' });
  const corpus = syntheticCorpus(SHARDS * DOCS_PER_SHARD * SENTENCES_PER_DOC, createRng(7), 'q');
  const tiny = {
    encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
    spanHead: { config: { widthDim: 4 } },
  };
  const model = await buildModel(resolveSpec('spert', { overrides: tiny }), SYNTHETIC_SCHEMA, corpus.slice(0, 20));
  await saveModel(model, paths.model);
  model.dispose();
  mkdirSync(paths.shards);
  for (let shard = 0; shard < SHARDS; shard++) writeDocuments(join(paths.shards, `part-${String(shard).padStart(2, '0')}.jsonl`), shardDocuments(shard, corpus), 'dygie');
}, 60_000);

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('spanrel queue submit / worker / queue status', () => {
  it('three workers predict 20 shards; a worker killed mid-shard loses nothing and doubles nothing', async () => {
    const submit = captureIO();
    expect(await runCli(['queue', 'submit', '--input', join(paths.shards, '*.jsonl'), '--out', paths.out, '--redis', redis.url, '--queue', QUEUE], submit)).toBe(0);
    expect(submit.stdout).toMatch(/^20 shards -> queue "kill-test" at redis:\/\/127\.0\.0\.1:\d+\/?: 20 queued, 0 already queued or done, 0 failed ones queued again/);

    // The victim holds each shard (after predicting, before writing) for 10 minutes: it is
    // killed while it holds its first one, which must then be done by another worker.
    const victim = startWorker({ SPANREL_WORKER_HOLD_MS: '600000' });
    const [, killedJob] = await victim.waitFor(/^job (\S+): started/);
    await victim.waitFor(/: predicting \d+ sentences/);
    const others = [startWorker(), startWorker()];
    // All three run (the two others connected, one shard done) when the victim dies.
    await Promise.all(others.map((w) => w.waitFor(/^worker \S+: waiting for shards/)));
    await until(() => others.some((w) => w.lines.some((line) => /^job \S+: done \(written\)/.test(line))), 'a shard done by the other workers');
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe(null);

    const queue = await openShardQueue(redis.url, { queueName: QUEUE });
    try {
      const start = Date.now();
      while ((await queue.getJobCounts('completed')).completed < SHARDS) {
        if (Date.now() - start > 60_000) throw new Error(`not all shards done in 60 s: ${JSON.stringify(await queue.getJobCounts())}\n${others.map((w) => w.lines.join('\n')).join('\n---\n')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      // The killed worker's job was found stalled and completed by one of the others.
      const job = (await queue.getJob(killedJob))!;
      const victimName = `${hostname()}:${victim.child.pid}`;
      const otherNames = others.map((w) => `${hostname()}:${w.child.pid}`);
      expect(await job.getState()).toBe('completed');
      expect(otherNames).toContain(job.returnvalue.worker);
      expect(job.returnvalue.worker).not.toBe(victimName);
      expect(job.returnvalue.outcome).toBe('written');
      expect(job.stalledCounter).toBe(1);
      expect(others.flatMap((w) => w.lines).join('\n')).toContain(`job ${killedJob}: started (again: 0 failed tries, stalled 1x)`);
    } finally {
      await queue.close();
    }

    // Every input document is in the outputs exactly once, with all its sentences; 20 outputs, no temp files.
    const outputs = readdirSync(paths.out).sort();
    expect(outputs).toEqual(readdirSync(paths.shards).sort());
    const seen = new Map<string, number>();
    for (const name of outputs) {
      for (const line of readFileSync(join(paths.out, name), 'utf8').trim().split('\n')) {
        const doc = JSON.parse(line) as { doc_key: string; sentences: string[][]; ner: unknown[][] };
        expect(doc.sentences).toHaveLength(SENTENCES_PER_DOC);
        expect(doc.ner).toHaveLength(SENTENCES_PER_DOC);
        seen.set(doc.doc_key, (seen.get(doc.doc_key) ?? 0) + 1);
      }
    }
    const expected = Array.from({ length: SHARDS }, (_, s) => Array.from({ length: DOCS_PER_SHARD }, (_, d) => `shard-${s}-doc-${d}`)).flat();
    expect([...seen.keys()].sort()).toEqual(expected.sort());
    expect([...seen.values()].every((n) => n === 1)).toBe(true);

    const status = captureIO();
    expect(await runCli(['queue', 'status', '--redis', redis.url, '--queue', QUEUE], status)).toBe(0);
    expect(status.stdout).toMatch(/waiting +0\n {2}active +0\n {2}delayed +0\n {2}completed +20\n {2}failed +0\n {2}workers +2\n/);

    // SIGTERM: each remaining worker stops cleanly.
    for (const w of others) w.child.kill('SIGTERM');
    expect(await Promise.all(others.map((w) => w.exited))).toEqual([0, 0]);
    for (const w of others) expect(w.lines.join('\n')).toMatch(/SIGTERM: finishing the current shard, then stopping[\s\S]*stopped$/);
  }, 120_000);
});
