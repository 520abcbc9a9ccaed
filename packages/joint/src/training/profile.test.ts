/**
 * The kernel profile on a tiny model, on the wasm backend (the one users
 * train on; its timer gives every kernel a time): the table lists the kernels
 * that ran, the counts are positive, and the numbers add up.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@spanrel/tensor-core';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { formatModelProfile, formatPhaseProfile, profileKernels, profileTraining, type PhaseProfile } from './profile.js';

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});

function expectConsistent(p: PhaseProfile): void {
  expect(p.sentences).toBeGreaterThan(0);
  expect(p.kernelCalls).toBeGreaterThan(0);
  expect(p.kernels.length).toBeGreaterThan(0);
  for (const k of p.kernels) {
    expect(k.calls).toBeGreaterThan(0);
    expect(k.ms).toBeGreaterThanOrEqual(0);
    expect(tf.getKernel(k.name, tf.getBackend())).toBeDefined(); // registered kernels only; scopes apart
  }
  expect(p.kernels.reduce((s, k) => s + k.calls, 0)).toBe(p.kernelCalls);
  expect(p.kernels.reduce((s, k) => s + k.ms, 0)).toBeCloseTo(p.kernelMs, 6);
  expect(p.kernels.reduce((s, k) => s + k.percent, 0)).toBeCloseTo(100, 6);
  expect(p.kernelMs + p.outsideMs).toBeCloseTo(p.wallMs, 6);
  expect(p.kernelMs).toBeGreaterThan(0);
  expect(p.kernelMs).toBeLessThanOrEqual(p.wallMs + 1e-6);
  expect(p.callsPerSentence).toBeCloseTo(p.kernelCalls / p.sentences, 9);
  for (let i = 1; i < p.kernels.length; i++) expect(p.kernels[i].ms).toBeLessThanOrEqual(p.kernels[i - 1].ms);
}

describe('profileKernels', () => {
  it('counts every kernel call of the work, by name', async () => {
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const p = await profileKernels('ops', () => {
      tf.tidy(() => {
        for (let i = 0; i < 3; i++) tf.matMul(a, a);
        tf.add(a, a);
      });
      return 2;
    });
    a.dispose();
    expect(p.kernels.find((k) => k.name === 'BatchMatMul')?.calls).toBe(3);
    expect(p.kernels.find((k) => k.name === 'Add')?.calls).toBe(1);
    expect(p.kernelCalls).toBe(4);
    expect(p.callsPerSentence).toBe(2);
    expectConsistent(p);
  });

  it('lists custom-gradient scopes apart and does not count them twice', async () => {
    const square = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const x = args[0] as tf.Tensor;
      return { value: tf.mul(x, x), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.mul(x, 2)) };
    });
    const x = tf.tensor1d([1, 2, 3]);
    const p = await profileKernels('custom', () => {
      tf.tidy(() => square(x) as tf.Tensor);
      return 1;
    });
    x.dispose();
    expect(p.kernels.map((k) => k.name)).toEqual(['Multiply']);
    expect(p.kernelCalls).toBe(1);
    expect(p.scopes).toHaveLength(1);
    expectConsistent(p);
  });
});

describe('profileTraining', () => {
  it('profiles training steps and decode batches of a tiny model; the table has the kernels that ran and adds up', async () => {
    const docs = tinyCorpus(12);
    const profile = await profileTraining({ spec: tinySpec('spert'), schema: TINY_SCHEMA, train: docs, dev: docs.slice(0, 8), steps: 2, evalBatches: 2 });
    expect(profile.backend).toBe('wasm');
    expect(profile.train.sentences).toBe(8); // 2 steps of 4
    expect(profile.eval!.sentences).toBe(8); // 2 batches of 4
    expectConsistent(profile.train);
    expectConsistent(profile.eval!);
    const trainKernels = profile.train.kernels.map((k) => k.name);
    expect(trainKernels).toEqual(expect.arrayContaining(['BatchMatMul', 'Max']));
    expect(profile.train.parts.optimizer.wallMs).toBeGreaterThan(0);
    expect(profile.train.parts.optimizer.kernelMs).toBeLessThanOrEqual(profile.train.kernelMs);
    expect(profile.decoding.sentences).toBe(8);
    expect(profile.unprofiledMs!.train).toBeGreaterThan(0);

    const text = formatModelProfile(profile, 5);
    const table = formatPhaseProfile(profile.train, 5).split('\n');
    expect(table[0]).toMatch(/^train: 8 sentences, wall [\d.]+ ms .* kernels [\d.]+ ms \([\d.]+%\) in \d+ calls \(\d+ per sentence\); outside kernels -?[\d.]+ ms/);
    for (const k of profile.train.kernels.slice(0, 5)) expect(table.some((line) => line.trimStart().startsWith(`${k.name} `))).toBe(true);
    expect(table.some((line) => /^\s+\(\d+ other kernels\)/.test(line))).toBe(true);
    const total = table.find((line) => line.trimStart().startsWith('total'))!;
    expect(total).toContain(String(profile.train.kernelCalls));
    expect(text).toContain('eval: 8 sentences');
    expect(text).toContain('optimizer: wall');
    expect(text).toMatch(/without the profiler: train [\d.]+ ms/);
  });
});
