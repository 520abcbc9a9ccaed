import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@spanrel/datasets';
import { buildModel, resolveSpec, RUN_SPEC_FILE, saveModel } from '@spanrel/joint';
import { initBackend } from '@spanrel/tensor-core';
import { SYNTHETIC_SCHEMA, syntheticCorpus } from '../demo/synthetic-corpus.js';
import { runCaptured } from '../testing/capture-io.js';
import type { CliIO } from '../command.js';
import { makeServeCommand, shutdownSignal } from './serve.js';
import { predictCommand } from './predict.js';

const dir = mkdtempSync(join(tmpdir(), 'spanrel-cli-serve-'));
const runDir = join(dir, 'run');
const TEXT = 'Ada Brandt works for Kestrel Labs. She lives in Oslo with Hugo Novak.';

beforeAll(async () => {
  // A tiny untrained model in a training-run layout (run/model + run/run.json), nudged so that it predicts entities.
  await initBackend({ backend: 'cpu' });
  const spec = resolveSpec('spert', {
    overrides: {
      encoder: { config: { wordEmbedding: { mode: 'trained', dim: 8 }, charDim: 4, charFilterWidths: [2, 3], charFiltersPerWidth: 4, lstmHiddenDim: 8, lstmLayers: 1 } },
      spanHead: { config: { widthDim: 4 } },
      maxSpanWidth: 4,
    },
  });
  const model = await buildModel(spec, SYNTHETIC_SCHEMA, syntheticCorpus(8, createRng(2), 'serve'));
  let seed = 7;
  for (const v of model.parameters().values()) tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', seed++))));
  mkdirSync(join(runDir, 'model'), { recursive: true });
  await saveModel(model, join(runDir, 'model'));
  writeFileSync(join(runDir, RUN_SPEC_FILE), JSON.stringify(spec));
  model.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `spanrel serve` with these flags; `client` talks to it, then the command is told to stop. */
async function serveWhile(args: string[], client: (url: string) => Promise<void>) {
  let failure: unknown;
  const command = makeServeCommand(async (url: string, _io: CliIO) => {
    try {
      await client(url);
    } catch (e) {
      failure = e;
    }
    return 'SIGTERM';
  });
  const result = await runCaptured(command, args);
  if (failure) throw failure;
  return result;
}

describe('spanrel serve', () => {
  it('answers POST /predict {"text"} as `spanrel predict --text` prints, and GET /model names the preset', async () => {
    const printed = await runCaptured(predictCommand, ['--model', runDir, '--text', TEXT, '--backend', 'cpu']);
    expect(printed.code).toBe(0);
    const expected = JSON.parse(printed.stdout) as { entities: unknown[] }[];
    expect(expected.some((d) => d.entities.length > 0)).toBe(true);
    let answered: unknown;
    let info: { preset: string; entityTypes: { name: string }[] } | undefined;
    const r = await serveWhile(['--model', runDir, '--port', '0', '--backend', 'cpu'], async (url) => {
      const response = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: TEXT }) });
      expect(response.status).toBe(200);
      answered = ((await response.json()) as { documents: unknown }).documents;
      info = (await (await fetch(`${url}/model`)).json()) as typeof info;
    });
    expect(r.code).toBe(0);
    expect(answered).toEqual(expected);
    expect(info?.preset).toBe('spert');
    expect(info?.entityTypes.map((t) => t.name)).toEqual(SYNTHETIC_SCHEMA.entities.map((t) => t.name));
    expect(r.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+ /);
    expect(r.stderr).toMatch(/SIGTERM: finishing the requests in flight/);
    expect(r.stderr).toMatch(/stopped after 1 prediction request in 1 forward pass\n/);
  });

  it('applies the limit flags, and refuses bad ones', async () => {
    const r = await serveWhile(['--model', runDir, '--port', '0', '--backend', 'cpu', '--max-sentences', '1'], async (url) => {
      const response = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: TEXT }) });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { message: string }).message).toMatch(/2 sentences, more than the limit of 1 per request/);
    });
    expect(r.code).toBe(0);
    const bad = await runCaptured(makeServeCommand(), ['--model', runDir, '--max-wait-ms', '2.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-wait-ms must be an integer >= 0, got "2.5"/);
    const missing = await runCaptured(makeServeCommand(), ['--port', '0']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required option --model/);
  });
});

describe('shutdownSignal', () => {
  it('resolves with the first SIGINT or SIGTERM and stops listening', async () => {
    const listeners = process.listenerCount('SIGTERM');
    const sigint = process.listenerCount('SIGINT');
    const signal = shutdownSignal();
    expect(process.listenerCount('SIGTERM')).toBe(listeners + 1);
    process.emit('SIGTERM', 'SIGTERM');
    expect(await signal).toBe('SIGTERM');
    expect(process.listenerCount('SIGTERM')).toBe(listeners);
    expect(process.listenerCount('SIGINT')).toBe(sigint);
  });
});
