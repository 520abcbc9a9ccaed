import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend, registry } from '@spanrel/tensor-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BertEncoder } from './bert/bert-encoder.js';
import './bert/register.js';
import { loadEncoderModules } from './assets/load-encoder-modules.js';
import { FIXTURES } from './bert/test-fixtures.js';
import { FrozenTransformerEncoder } from './frozen/frozen-transformer-encoder.js';
import {
  loadTransformers,
  loadTransformersSync,
  provideTransformers,
  setTransformersLoader,
  transformersLoadError,
  TRANSFORMERS_MISSING,
  type TransformersLoader,
} from './transformers-module.js';

const ONNX_FIXTURE = fileURLToPath(new URL('../fixtures/tiny-bert-onnx', import.meta.url));

/**
 * A project folder with no node_modules, outside the repository: resolving
 * `@huggingface/transformers` from there fails the way it does for a user who
 * installed @spanrel/encoders without its optional peer.
 */
const empty = mkdtempSync(join(tmpdir(), 'spanrel-no-transformers-'));

/**
 * The real error of Node's `require` or ESM `import()` of transformers.js in the
 * empty project, from a child node (outside vitest's loader, and without the
 * NODE_PATH that `pnpm exec` sets, through which the workspace's copy resolves).
 */
function nodeErrorFromEmpty(how: 'require' | 'import'): Error {
  const load = how === 'require' ? `Promise.resolve().then(() => require('@huggingface/transformers'))` : `import('@huggingface/transformers')`;
  const probe = `${load}.then(() => console.log('{}'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
  const env = { ...process.env };
  delete env.NODE_PATH;
  const args = how === 'require' ? ['-e', probe] : ['--input-type=module', '-e', probe];
  const run = spawnSync(process.execPath, args, { cwd: empty, env, encoding: 'utf8' });
  const { code, message } = JSON.parse(run.stdout) as { code?: string; message?: string };
  expect(code).toBe(how === 'require' ? 'MODULE_NOT_FOUND' : 'ERR_MODULE_NOT_FOUND');
  return Object.assign(new Error(message), { code });
}

/** transformers.js as a project without it sees it. */
const notInstalled: TransformersLoader = {
  import: () => Promise.reject(nodeErrorFromEmpty('import')),
  require: () => {
    throw nodeErrorFromEmpty('require');
  },
};

const CLEAR = /needs transformers\.js, which is not installed: install it next to @spanrel\/encoders with "npm install @huggingface\/transformers@\^4\.3\.1"/;

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterEach(() => setTransformersLoader());
afterAll(() => rmSync(empty, { recursive: true, force: true }));

describe('transformers.js not installed', () => {
  it('new BertEncoder (and the registry) throw an error naming the package to install, and why', () => {
    setTransformersLoader(notInstalled);
    let error: unknown;
    try {
      new BertEncoder({ model: FIXTURES.bert });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^bert-encoder\.v1 needs transformers\.js/);
    expect((error as Error).message).toMatch(CLEAR);
    expect((error as Error).message).toMatch(/optional peer dependency/);
    expect((error as Error & { code: string }).code).toBe(TRANSFORMERS_MISSING);
    // The cause is Node's own resolution error.
    expect((error as Error).cause).toMatchObject({ code: 'MODULE_NOT_FOUND' });
    expect(() => registry.build('bert-encoder.v1', { model: FIXTURES.bert })).toThrow(CLEAR);
  });

  it('BertEncoder.fromPretrained rejects with it before downloading anything', async () => {
    setTransformersLoader(notInstalled);
    await expect(BertEncoder.fromPretrained('bert-base-cased', { remoteHost: 'http://127.0.0.1:9', cacheDir: empty })).rejects.toThrow(CLEAR);
  });

  it('the frozen ONNX encoder rejects with it on first use (precompute), not when built', async () => {
    setTransformersLoader(notInstalled);
    const encoder = new FrozenTransformerEncoder({ model: ONNX_FIXTURE, cacheDir: null });
    await expect(encoder.precompute({ tokens: [['John', 'lives', 'here']] })).rejects.toThrow(
      /^frozen-transformer-encoder\.v1 needs transformers\.js, which is not installed/,
    );
    encoder.dispose();
  });

  it('a missing dependency OF transformers.js keeps its own message (not "install transformers.js")', () => {
    const inner = Object.assign(
      new Error("Cannot find package 'onnxruntime-node' imported from /app/node_modules/@huggingface/transformers/dist/transformers.node.mjs"),
      { code: 'ERR_MODULE_NOT_FOUND' },
    );
    const error = transformersLoadError('frozen-transformer-encoder.v1', inner);
    expect(error.message).toBe(`frozen-transformer-encoder.v1: @huggingface/transformers is installed but could not be loaded (${inner.message})`);
    expect((error as Error & { code?: string }).code).toBeUndefined();
    expect(error.cause).toBe(inner);
  });
});

describe('transformers.js installed (the workspace has it as a devDependency)', () => {
  it('is loaded once, by import() or require, and shared', async () => {
    let imports = 0;
    let requires = 0;
    const real = await import('@huggingface/transformers');
    setTransformersLoader({
      import: async () => (imports++, real),
      require: () => (requires++, real),
    });
    expect(await loadTransformers('test')).toBe(real);
    expect(await loadTransformers('test')).toBe(real);
    expect(loadTransformersSync('test')).toBe(real);
    expect([imports, requires]).toEqual([1, 0]);
  });

  it('the default loader builds the BERT encoder', () => {
    const encoder = new BertEncoder({ model: FIXTURES.bert });
    expect(encoder.tokenizer.wordIds('Paris').length).toBeGreaterThan(0);
    encoder.dispose();
  });

  it('provideTransformers hands over a copy the caller imported (a browser page): no loading at all', async () => {
    const real = await import('@huggingface/transformers');
    provideTransformers(real);
    expect(loadTransformersSync('test')).toBe(real);
    const encoder = new BertEncoder({ model: FIXTURES.bert });
    expect(encoder.tokenizer.wordIds('Paris').length).toBeGreaterThan(0);
    encoder.dispose();
  });

  it('loadEncoderModules loads transformers.js for a BERT encoder (also as a contextual one), for no other', async () => {
    let imports = 0;
    const real = await import('@huggingface/transformers');
    const counting: TransformersLoader = { import: async () => (imports++, real), require: () => real };
    setTransformersLoader(counting);
    await loadEncoderModules({ name: 'bilstm-charcnn-encoder.v1', config: { contextual: null } });
    expect(imports).toBe(0);
    await loadEncoderModules({ name: 'bilstm-charcnn-encoder.v1', config: { contextual: { name: 'bert-encoder.v1', config: {} } } });
    expect(imports).toBe(1);
    setTransformersLoader(counting);
    await loadEncoderModules({ name: 'bert-encoder.v1', config: {} });
    expect(imports).toBe(2);
  });
});
