import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKEND_ENV_VAR, chooseBackend, describeBackend, initBackend, WASM_THREADS_ENV_VAR, type BackendChoice, type BackendHost } from './index.js';

const saved = process.env[BACKEND_ENV_VAR];
const savedThreads = process.env[WASM_THREADS_ENV_VAR];
beforeEach(() => {
  delete process.env[WASM_THREADS_ENV_VAR]; // these expect the default single-threaded wasm build
});
afterEach(() => {
  if (saved === undefined) delete process.env[BACKEND_ENV_VAR];
  else process.env[BACKEND_ENV_VAR] = saved;
  if (savedThreads !== undefined) process.env[WASM_THREADS_ENV_VAR] = savedThreads;
});

async function importable(pkg: string): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ pkg);
    return true;
  } catch {
    return false;
  }
}

describe('initBackend', () => {
  it('honours SPANREL_BACKEND=cpu and reports it', async () => {
    process.env[BACKEND_ENV_VAR] = 'cpu';
    const info = await initBackend();
    expect(tf.getBackend()).toBe('cpu');
    expect(info).toMatchObject({ name: 'cpu', choice: 'cpu', package: '@tensorflow/tfjs-backend-cpu', requestedBy: 'env', patched: true });
    expect(describeBackend()).toMatch(/^cpu \(@tensorflow\/tfjs-backend-cpu .*chosen by SPANREL_BACKEND\)$/);
  });

  it('honours SPANREL_BACKEND=wasm: SIMD binary loaded from node_modules, patched for training', async () => {
    process.env[BACKEND_ENV_VAR] = 'wasm';
    const info = await initBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(info).toMatchObject({ name: 'wasm', choice: 'wasm', requestedBy: 'env', patched: true, simd: true, threads: 1, gpu: false });
    expect(describeBackend()).toContain('wasm (@tensorflow/tfjs-backend-wasm 4.22.0; CPU, SIMD, 1 thread; training patches applied');
    // It computes.
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 4]));
    expect(Array.from(y.dataSync())).toEqual(new Array(8).fill(3));
    y.dispose();
  });

  it('lets the backend option win over the variable', async () => {
    process.env[BACKEND_ENV_VAR] = 'wasm';
    const info = await initBackend({ backend: 'cpu' });
    expect(info).toMatchObject({ name: 'cpu', requestedBy: 'option' });
    expect(describeBackend()).toContain('chosen by the backend option');
  });

  it('rejects an unknown name, naming the variable', async () => {
    process.env[BACKEND_ENV_VAR] = 'cuda9';
    await expect(initBackend()).rejects.toThrow(/SPANREL_BACKEND=cuda9.*expected one of/);
  });

  it('never falls back silently from an explicitly named backend that cannot load', async () => {
    if (await importable('@tensorflow/tfjs-node')) return; // installed here: nothing to check
    await expect(initBackend({ backend: 'tfjs-node' })).rejects.toThrow(/could not initialise backend "tfjs-node"/);
  });

  it('without a request, takes the first loadable backend in the documented order', async () => {
    delete process.env[BACKEND_ENV_VAR];
    const info = await initBackend();
    const order: BackendChoice[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];
    expect(info.requestedBy).toBe('auto');
    // Everything before the choice was tried and skipped, with a reason.
    expect(info.skipped.map((s) => s.choice)).toEqual(order.slice(0, order.indexOf(info.choice)));
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(0);
    for (const s of info.skipped) expect(await importable(`@tensorflow/${s.choice}`)).toBe(false);
    if (!(await importable('@tensorflow/tfjs-node-gpu')) && !(await importable('@tensorflow/tfjs-node'))) {
      expect(info.choice).toBe('wasm');
    }
    expect(describeBackend()).toMatch(/chosen automatically/);
  });

  it('rejects a bad threads option before trying any backend, naming it', async () => {
    await expect(initBackend({ backend: 'cpu', threads: 0 })).rejects.toThrow(/the threads option must be an integer from 1 to 8/);
  });
});

describe('chooseBackend on a host without wasmThreads (the browser entry\'s kind)', () => {
  const host: BackendHost = { requestedBackend: () => undefined, packageVersion: () => 'unknown', cpuCount: () => 1, wasmPaths: () => '/' };

  it('rejects the threads option, which only Node\'s initBackend honours', async () => {
    await expect(chooseBackend({ backend: 'cpu', threads: 2 }, host)).rejects.toThrow(/threads option needs Node's initBackend/);
  });

  it('loads without it', async () => {
    expect(await chooseBackend({ backend: 'cpu' }, host)).toMatchObject({ name: 'cpu', threads: 1, requestedBy: 'option' });
  });
});
