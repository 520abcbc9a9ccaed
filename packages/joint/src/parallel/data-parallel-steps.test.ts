import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '@spanrel/datasets';
import { initBackend, type AdamW } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import type { PresetName } from '../config/presets.js';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { localBatchStep } from '../training/batch-step.js';
import { makeOptimizer } from '../training/make-optimizer.js';
import { train, trainingBatch } from '../training/train.js';
import type { TrainingBatch } from '../training/training-batch.js';
import { trainingLosses } from '../training/training-loss.js';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { dataParallelSteps } from './data-parallel-steps.js';

// The workers run the package's build (dist/gradient-worker.js): `pnpm build` before `vitest`.
const root = mkdtempSync(join(tmpdir(), 'spanrel-data-parallel-'));

beforeAll(async () => {
  await initBackend({ backend: 'wasm' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * Max over the tensors of max |a - b| / max |a|, |b| (relative to each tensor's
 * scale, as the bench's `maxTensorRelDiff`: float32 sums in another order differ
 * by a few ulps of a tensor's largest entries). A tensor whose scale is below
 * 1e-6 of the largest value of all is rounding noise around an exact 0 (the
 * gradient of a bias added before a softmax, e.g. attention keys' bias, which
 * the softmax cancels): it is compared relative to that largest value instead.
 */
function maxRelDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  const largest = Math.max(...[...a.values(), ...b.values()].map((x) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0)));
  let worst = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    expect(y.length).toBe(x.length);
    let diff = 0;
    let scale = 0;
    for (let i = 0; i < x.length; i++) {
      diff = Math.max(diff, Math.abs(x[i] - y[i]));
      scale = Math.max(scale, Math.abs(x[i]), Math.abs(y[i]));
    }
    if (diff > 0) worst = Math.max(worst, diff / (scale < 1e-6 * largest ? largest : scale));
  }
  return worst;
}

/** An optimizer stand-in that keeps the gradients `step` is given (and changes nothing). */
function recordingOptimizer(): { optimizer: AdamW; grads: Map<string, Float32Array> } {
  const grads = new Map<string, Float32Array>();
  const optimizer = { step: (named: Map<string, tf.Tensor>) => named.forEach((g, n) => grads.set(n, g.dataSync().slice() as Float32Array)) } as unknown as AdamW;
  return { optimizer, grads };
}

/** The whole batch's loss and gradients on this thread (the reference). */
function wholeBatchGradients(model: JointModel, spec: JointSpec, batch: TrainingBatch): { loss: number; grads: Map<string, Float32Array> } {
  const t = spec.training;
  const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
  const named = [...model.parameters()].filter(([, v]) => v.trainable);
  const { value, grads } = tf.variableGrads(() => trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss, named.map(([, v]) => v));
  const out = new Map<string, Float32Array>();
  for (const [name, v] of named) if (grads[v.name]) out.set(name, grads[v.name].dataSync().slice() as Float32Array);
  const loss = value.dataSync()[0];
  value.dispose();
  Object.values(grads).forEach((g) => g.dispose());
  return { loss, grads: out };
}

/** A sentence with no entity, hence no relation sample at all. */
const NO_RELATION: Document = { id: 'empty', tokens: ['Nothing', 'happened', 'here', '.'], entities: [], relations: [] };

const CASES: { name: string; preset: PresetName; extra?: Record<string, unknown>; docs: () => Document[] }[] = [
  // 3 sentences over 2 threads: the worker takes 2, this thread 1 (the one without any relation).
  { name: 'spert (sampled, mean; uneven split, a shard without relations)', preset: 'spert', docs: () => [...tinyCorpus(2, 9), NO_RELATION] },
  { name: 'dixit (all spans, sum; batch 2 set by config)', preset: 'dixit', extra: { training: { batchSize: 2 } }, docs: () => tinyCorpus(2, 4) },
  { name: 'ji2020 (ratio sampling, weighted 0.4 / 0.6)', preset: 'ji2020', docs: () => tinyCorpus(4, 5) },
  { name: 'twophase (two-phase loss)', preset: 'twophase', docs: () => tinyCorpus(4, 6) },
  { name: 'stsn (tag + entity + relation loss)', preset: 'stsn', docs: () => tinyCorpus(3, 7) },
];

// Worker threads start and build a model each: generous timeouts for a loaded machine.
const SLOW = { timeout: 180_000 };

describe('dataParallelSteps: the summed shard gradients are the whole batch gradient (dropout off)', SLOW, () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const spec = tinySpec(c.preset, { ...c.extra, training: { ...(c.extra?.training as object), batchSize: c.docs().length } }, { dropout: false });
      const docs = c.docs();
      const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(16));
      const steps = dataParallelSteps({ workers: 1, snapshotDir: join(root, `snapshot-${c.preset}`) });
      try {
        const batch = trainingBatch(spec, TINY_SCHEMA, docs, 0, 0);
        const whole = wholeBatchGradients(model, spec, batch);
        const { optimizer, grads } = recordingOptimizer();
        const losses = await steps.batchStep(model, batch, { spec, optimizer, globalStep: 0 });
        expect(steps.lastShards.map((s) => [s.start, s.end])).toEqual(docs.length === 3 ? [[0, 2], [2, 3]] : [[0, docs.length / 2], [docs.length / 2, docs.length]]);
        expect(maxRelDiff(grads, whole.grads)).toBeLessThan(1e-5);
        expect(Math.abs(losses.loss - whole.loss) / Math.abs(whole.loss)).toBeLessThan(1e-5);
        if (c.preset === 'ji2020' || c.preset === 'spert') {
          // The relation loss moved the relation head: the shards' relation terms were summed, not dropped.
          expect([...grads.keys()].some((n) => n.startsWith('relationHead.'))).toBe(true);
        }
      } finally {
        await steps.close();
        model.dispose();
      }
    });
  }
});

describe('dataParallelSteps in training', SLOW, () => {
  it('a whole AdamW step (with clipping) updates the weights as the single-thread step does', async () => {
    const spec = tinySpec('spert', { training: { batchSize: 3, clipNorm: 0.5 } }, { dropout: false });
    const docs = tinyCorpus(6, 12);
    const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(16));
    const params = model.parameters();
    const initial = new Map([...params].map(([n, v]) => [n, tf.clone(v)]));
    const batches = [trainingBatch(spec, TINY_SCHEMA, docs.slice(0, 3), 0, 0), trainingBatch(spec, TINY_SCHEMA, docs.slice(3), 0, 1)];
    const run = async (step: typeof localBatchStep) => {
      for (const [n, v] of params) v.assign(initial.get(n)!);
      const optimizer = makeOptimizer(params, spec.training.optimizer, 10);
      // Two steps: the warmup gives the first one lr 0 (only the moments move).
      for (let s = 0; s < batches.length; s++) await step(model, batches[s], { spec, optimizer, globalStep: s });
      optimizer.dispose();
      return new Map([...params].map(([n, v]) => [n, v.dataSync().slice() as Float32Array]));
    };
    const steps = dataParallelSteps({ workers: 1 });
    try {
      const alone = await run(localBatchStep);
      const parallel = await run(steps.batchStep);
      expect(steps.lastShards.length).toBe(2);
      expect(maxRelDiff(parallel, alone)).toBeLessThan(1e-5);
      expect(maxRelDiff(alone, new Map([...initial].map(([n, v]) => [n, v.dataSync() as Float32Array])))).toBeGreaterThan(1e-3); // the steps did move the weights
    } finally {
      await steps.close();
      initial.forEach((t) => t.dispose());
      model.dispose();
    }
  });

  const docs = tinyCorpus(12, 21);
  const weightsOf = (m: JointModel) => new Map([...m.parameters()].map(([n, v]) => [n, v.dataSync().slice() as Float32Array]));

  it('train with gradient workers: the same weights and losses as on one thread (dropout off)', SLOW, async () => {
    const noDropout = tinySpec('spert', { training: { batchSize: 3, epochs: 2 } }, { dropout: false });
    const alone = await train({ spec: noDropout, schema: TINY_SCHEMA, train: docs, dev: [], outDir: join(root, 'alone') });
    const steps = dataParallelSteps({ workers: 1 });
    const parallel = await train({ spec: noDropout, schema: TINY_SCHEMA, train: docs, dev: [], outDir: join(root, 'parallel'), batchStep: steps.batchStep }).finally(() => steps.close());
    expect(maxRelDiff(weightsOf(parallel.model), weightsOf(alone.model))).toBeLessThan(1e-5);
    expect(parallel.history.map((r) => r.loss)).toEqual(alone.history.map((r) => expect.closeTo(r.loss, 4)) as unknown as number[]);
    alone.model.dispose();
    parallel.model.dispose();
  });

  it('train with gradient workers and dropout: a killed run resumes to the weights of an uninterrupted one', SLOW, async () => {
    // With dropout: uninterrupted, then killed after step 3 and resumed; the optimizer state and this thread's
    // dropout generators come from the checkpoint, the workers' masks from (seed, step, shard).
    const withDropout = tinySpec('spert', { training: { batchSize: 3, epochs: 2, checkpointEverySteps: 1 } });
    const full = dataParallelSteps({ workers: 1 });
    const uninterrupted = await train({ spec: withDropout, schema: TINY_SCHEMA, train: docs, dev: [], outDir: join(root, 'full'), batchStep: full.batchStep }).finally(() => full.close());
    const first = dataParallelSteps({ workers: 1 });
    const kill = (info: { globalStep: number }) => {
      if (info.globalStep === 3) throw new Error('killed');
    };
    await expect(
      train({ spec: withDropout, schema: TINY_SCHEMA, train: docs, dev: [], outDir: join(root, 'killed'), batchStep: first.batchStep, afterStep: kill }).finally(() => first.close()),
    ).rejects.toThrow('killed');
    const second = dataParallelSteps({ workers: 1 });
    const resumed = await train({ schema: TINY_SCHEMA, train: docs, dev: [], outDir: join(root, 'killed'), resume: true, batchStep: second.batchStep }).finally(() => second.close());
    expect(resumed.resumed).toBe(true);
    expect(maxRelDiff(weightsOf(resumed.model), weightsOf(uninterrupted.model))).toBe(0);
    uninterrupted.model.dispose();
    resumed.model.dispose();
  });

  it('a batch of one sentence, or 0 workers, runs on this thread alone', async () => {
    const spec = tinySpec('spert', { training: { batchSize: 1 } }, { dropout: false });
    const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(8));
    const steps = dataParallelSteps({ workers: 1 });
    const none = dataParallelSteps({ workers: 0 });
    try {
      const { optimizer } = recordingOptimizer();
      await steps.batchStep(model, trainingBatch(spec, TINY_SCHEMA, tinyCorpus(1), 0, 0), { spec, optimizer, globalStep: 0 });
      expect(steps.lastShards).toEqual([]);
      await none.batchStep(model, trainingBatch(spec, TINY_SCHEMA, tinyCorpus(3), 0, 0), { spec, optimizer, globalStep: 0 });
      expect(none.lastShards).toEqual([]);
    } finally {
      await steps.close();
      await none.close();
      model.dispose();
    }
  });
});

describe('dataParallelSteps: errors and shutdown', SLOW, () => {
  it("rejects the step naming the worker and the shard; the threads keep working; closing ends them", async () => {
    const spec = tinySpec('spert', { training: { batchSize: 4 } }, { dropout: false });
    const model = await buildModel(spec, TINY_SCHEMA, tinyCorpus(8));
    const steps = dataParallelSteps({ workers: 2 });
    try {
      const batch = trainingBatch(spec, TINY_SCHEMA, tinyCorpus(4), 0, 0);
      if (batch.kind !== 'sampled') throw new Error('a sampled batch expected');
      // 4 sentences over 3 threads: [0,2) [2,3) [3,4); sentence 3 (worker 2's shard) gets a label no class has.
      const broken: TrainingBatch = { ...batch, entityLabels: batch.entityLabels.map((labels, b) => (b === 2 ? labels.map(() => 99) : labels)) };
      const { optimizer, grads } = recordingOptimizer();
      await expect(steps.batchStep(model, broken, { spec, optimizer, globalStep: 0 })).rejects.toThrow(
        /^gradient worker 2\/2 \(shard 2\/3 \(sentence 3 of the batch\)\): entityCrossEntropy: a label of a real entry lies outside/,
      );
      expect(grads.size).toBe(0); // no update was applied
      // This thread's own shard fails with its name too.
      const ownBroken: TrainingBatch = { ...batch, entityLabels: batch.entityLabels.map((labels, b) => (b === 3 ? labels.map(() => 99) : labels)) };
      await expect(steps.batchStep(model, ownBroken, { spec, optimizer, globalStep: 1 })).rejects.toThrow(/^the calling thread \(shard 3\/3 \(sentence 4 of the batch\)\): entityCrossEntropy/);
      await steps.batchStep(model, batch, { spec, optimizer, globalStep: 2 });
      expect(grads.size).toBeGreaterThan(0);
    } finally {
      await steps.close();
      model.dispose();
    }
    const { optimizer } = recordingOptimizer();
    await expect(steps.batchStep(model, trainingBatch(spec, TINY_SCHEMA, tinyCorpus(2), 0, 0), { spec, optimizer, globalStep: 3 })).rejects.toThrow(/used after close/);
  });

  it('a process that trains with gradient workers and fails mid-run exits (no thread keeps it alive)', async () => {
    // A separate Node process on the built package: it must end by itself once train() has failed and close() ran.
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    const core = fileURLToPath(new URL('../../../tensor-core/dist/index.js', import.meta.url));
    const spec = tinySpec('spert', { training: { batchSize: 2 } });
    const script = `
      const joint = await import(${JSON.stringify(join(dist, 'index.js'))});
      const parallel = await import(${JSON.stringify(join(dist, 'parallel.js'))});
      const core = await import(${JSON.stringify(core)});
      await core.initBackend({ backend: 'wasm' });
      const steps = parallel.dataParallelSteps({ workers: 1 });
      try {
        await joint.train({ spec: ${JSON.stringify(spec)}, schema: ${JSON.stringify(TINY_SCHEMA)}, train: ${JSON.stringify(tinyCorpus(6))}, dev: [],
          outDir: ${JSON.stringify(join(root, 'child'))}, batchStep: steps.batchStep,
          afterStep: ({ globalStep }) => { if (globalStep === 2) throw new Error('stop here'); } });
      } catch (e) {
        console.log('failed:', e.message, 'shards:', steps.lastShards.length);
      } finally {
        await steps.close();
      }`;
    const file = join(root, 'child.mjs');
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 150_000 });
    expect(stdout.trim()).toBe('failed: stop here shards: 2');
  });
});
