#!/usr/bin/env node
/**
 * `pnpm bench:serve`: throughput and latency of `@spanrel/serve` on loopback.
 *
 * Trains a small model first (the `spert` preset, its BiLSTM + char CNN
 * encoder at full size, one epoch on the synthetic demo corpus: not from any
 * data set; or `--model DIR` to serve a trained one), starts the server in a
 * CHILD process (so that the load generator does not share its event loop),
 * then drives `POST /predict {"text": ...}` (two sentences of synthetic text
 * per request, rotating over a few texts) with autocannon for `--duration`
 * seconds at each of `--connections` concurrent clients. Prints per run
 * requests/s, p50 / p99 latency, failed requests (errors, timeouts, non-2xx)
 * and forward passes (requests per pass = how much the micro-batcher shared);
 * then the server's peak RSS and its tfjs tensor count after warm-up and
 * after the runs (must not grow: exit 1 if it does). The last line is one
 * JSON object with the figures.
 *
 * Uses the BUILT packages (`pnpm build` first; `pnpm bench:serve` builds).
 *
 *   node packages/serve/bench/bench-serve.mjs [--duration 10] [--connections 1,16] [--model DIR]
 *     [--train-sentences 160] [--backend wasm|cpu|tensorflow|auto] [--max-wait-ms 5] [--max-batch-size 64]
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const SELF = fileURLToPath(import.meta.url);
const CLI_DIST = new URL('../../../apps/cli/dist/index.js', import.meta.url).href;

const OPTIONS = {
  duration: { type: 'string' },
  connections: { type: 'string' },
  model: { type: 'string' },
  'train-sentences': { type: 'string' },
  backend: { type: 'string' },
  'max-wait-ms': { type: 'string' },
  'max-batch-size': { type: 'string' },
  child: { type: 'boolean' },
  help: { type: 'boolean' },
};
const USAGE = `usage: node packages/serve/bench/bench-serve.mjs [options]
  --duration N         seconds of load per run (default 10)
  --connections LIST   concurrent clients, one run each (default 1,16)
  --model DIR          serve this model folder (or spanrel train output) instead of training one
  --train-sentences N  synthetic training sentences of the model trained here (default 160, one epoch)
  --backend NAME       tfjs backend of the server (default auto)
  --max-wait-ms N      the server's batching wait (default 5)
  --max-batch-size N   the server's largest batch, in sentences (default 64)`;

const { values } = parseArgs({ options: OPTIONS, strict: true });
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (flag, fallback) => {
  const n = values[flag] === undefined ? fallback : Number(values[flag]);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag} must be an integer >= 0, got ${values[flag]}`);
  return n;
};

if (values.child) await serveInChild();
else await main();

/** The child: loads the model, serves it, answers the parent's `stats` and `close` messages. */
async function serveInChild() {
  const tf = await import('@tensorflow/tfjs-core');
  const { describeBackend, initBackend } = await import('@spanrel/tensor-core');
  const { startServer } = await import('@spanrel/serve');
  await initBackend(values.backend ? { backend: values.backend } : {});
  const server = await startServer({ model: values.model, port: 0, maxWaitMs: int('max-wait-ms', 5), maxBatchSize: int('max-batch-size', 64) });
  process.on('message', async (message) => {
    if (message === 'stats') {
      process.send({ type: 'stats', stats: server.stats(), numTensors: tf.memory().numTensors, maxRssKB: process.resourceUsage().maxRSS });
    } else if (message === 'close') {
      await server.close();
      process.send({ type: 'closed', numTensors: tf.memory().numTensors });
      process.disconnect();
    }
  });
  process.send({ type: 'ready', url: server.url, backend: describeBackend() });
}

/** The next message of `type` from the child. */
function nextMessage(child, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m?.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m);
    };
    const onExit = (code) => reject(new Error(`the server process exited (code ${code}) before sending "${type}"`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Trains the small model of the bench into `dir` (one epoch, synthetic corpus); returns the model folder. */
async function trainSmallModel(dir, sentences) {
  const { initBackend } = await import('@spanrel/tensor-core');
  const { resolveSpec, train } = await import('@spanrel/joint');
  const { createRng } = await import('@spanrel/datasets');
  const { syntheticCorpus, SYNTHETIC_SCHEMA } = await import(CLI_DIST);
  await initBackend(values.backend ? { backend: values.backend } : {});
  const corpus = syntheticCorpus(sentences + 40, createRng(21), 'bench');
  const spec = resolveSpec('spert', { overrides: { training: { epochs: 1, batchSize: 8 } } });
  const started = performance.now();
  const result = await train({ spec, schema: SYNTHETIC_SCHEMA, train: corpus.slice(0, sentences), dev: corpus.slice(sentences), outDir: join(dir, 'run') });
  result.model.dispose();
  console.log(`trained spert (BiLSTM + char CNN, full size) on ${sentences} synthetic sentences, 1 epoch: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { modelDir: join(dir, 'run'), texts: corpus.slice(sentences).map((d) => d.tokens.join(' ')) };
}

async function main() {
  const duration = int('duration', 10);
  const connections = (values.connections ?? '1,16').split(',').map((c) => Number(c));
  if (connections.some((c) => !Number.isInteger(c) || c < 1)) throw new Error(`--connections must be positive integers, got ${values.connections}`);
  const { default: autocannon } = await import('autocannon');
  const { createRng } = await import('@spanrel/datasets');
  const { splitSentences } = await import('@spanrel/joint');
  const { syntheticCorpus } = await import(CLI_DIST);

  const tmp = mkdtempSync(join(os.tmpdir(), 'spanrel-bench-serve-'));
  let child;
  try {
    let modelDir = values.model;
    if (!modelDir) modelDir = (await trainSmallModel(tmp, int('train-sentences', 160))).modelDir;
    // Request texts: two synthetic sentences each, unseen in training (another seed).
    const sentences = syntheticCorpus(32, createRng(99), 'load').map((d) => d.tokens.join(' '));
    const bodies = Array.from({ length: 16 }, (_, i) => JSON.stringify({ text: `${sentences[2 * i]} ${sentences[2 * i + 1]}` }));

    const childArgs = ['--child', '--model', modelDir, ...['backend', 'max-wait-ms', 'max-batch-size'].flatMap((f) => (values[f] === undefined ? [] : [`--${f}`, values[f]]))];
    child = fork(SELF, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const { url, backend } = await nextMessage(child, 'ready');
    console.log(`server: ${url} (child process ${child.pid}); backend: ${backend}`);
    const stats = async () => {
      child.send('stats');
      return nextMessage(child, 'stats');
    };
    // As the server splits them (a synthetic sentence may hold more than one).
    const sentencesPerRequest = bodies.reduce((n, b) => n + splitSentences(JSON.parse(b).text).length, 0) / bodies.length;
    const wordsPerRequest = bodies.reduce((n, b) => n + splitSentences(JSON.parse(b).text).flat().length, 0) / bodies.length;
    const requests = bodies.map((body) => ({ method: 'POST', path: '/predict', headers: { 'content-type': 'application/json' }, body }));

    // Warm-up: every body once (first forward passes allocate), then the tensor count to keep.
    for (const body of bodies) {
      const r = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (r.status !== 200) throw new Error(`warm-up request answered ${r.status}: ${await r.text()}`);
    }
    const before = await stats();

    const runs = [];
    for (const c of connections) {
      const start = await stats();
      const result = await autocannon({ url, connections: c, duration, pipelining: 1, requests, timeout: 30 });
      const end = await stats();
      const passes = end.stats.batches - start.stats.batches;
      const served = end.stats.requests - start.stats.requests;
      const run = {
        connections: c,
        durationS: duration,
        requests: result.requests.total,
        reqPerSec: Number(result.requests.average.toFixed(1)),
        sentencesPerSec: Number((sentencesPerRequest * result.requests.average).toFixed(1)),
        latencyP50Ms: result.latency.p50,
        latencyP99Ms: result.latency.p99,
        failed: result.errors + result.timeouts + result.non2xx,
        forwardPasses: passes,
        requestsPerPass: passes > 0 ? Number((served / passes).toFixed(2)) : 0,
      };
      runs.push(run);
      console.log(
        `${String(c).padStart(3)} client${c === 1 ? ' ' : 's'}: ${run.reqPerSec} req/s (${run.sentencesPerSec} sentences/s), p50 ${run.latencyP50Ms} ms, p99 ${run.latencyP99Ms} ms, ` +
          `${run.failed} failed of ${run.requests}; ${passes} forward passes (${run.requestsPerPass} requests each)`,
      );
    }

    const after = await stats();
    child.send('close');
    const closed = await nextMessage(child, 'closed');
    const peakRssMB = Math.round(after.maxRssKB / 1024);
    const grew = after.numTensors > before.numTensors;
    console.log(`server peak RSS ${peakRssMB} MB; tfjs tensors ${before.numTensors} after warm-up, ${after.numTensors} after the runs${grew ? ' (GREW)' : ''}, ${closed.numTensors} after close`);
    console.log(
      JSON.stringify({
        bench: 'serve',
        backend,
        model: values.model ?? 'spert (BiLSTM), 1 epoch on synthetic sentences',
        sentencesPerRequest,
        wordsPerRequest,
        runs,
        peakRssMB,
        tensorsBefore: before.numTensors,
        tensorsAfter: after.numTensors,
        tensorsAfterClose: closed.numTensors,
      }),
    );
    if (grew) process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null && child.connected) child.kill();
    rmSync(tmp, { recursive: true, force: true });
  }
}
