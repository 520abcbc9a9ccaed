import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeNamedTensors, initBackend, loadSafetensors } from '@spanrel/tensor-core';
import { TINY_SCHEMA, tinyCorpus, tinySpec } from '../testing/tiny-corpus.js';
import { CHECKPOINT_DIR, OPTIMIZER_FILE, readTrainerState, type EpochRecord } from './checkpoint.js';
import { BEST_MODEL_DIR, train, TRAIN_LOG_FILE, type TrainEvent, type TrainOptions } from './train.js';

const root = mkdtempSync(join(tmpdir(), 'spanrel-joint-train-'));
const trainDocs = tinyCorpus(16, 3);
const devDocs = tinyCorpus(4, 8);

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function tensorsOf(path: string): Promise<Map<string, number[]>> {
  const { tensors } = await loadSafetensors(path);
  const out = new Map([...tensors].map(([name, t]) => [name, Array.from(t.dataSync())]));
  disposeNamedTensors(tensors);
  return out;
}

/** The epoch log without its timings (which differ between runs). */
const untimed = (history: EpochRecord[]) => history.map(({ trainSeconds: _t, evalSeconds: _e, ...rest }) => rest);

class Killed extends Error {}

for (const presetName of ['spert', 'dixit'] as const) {
  describe(`${presetName} training run`, () => {
    // 16 sentences in batches of 4 (spert) or 2 (dixit); 2 epochs; a checkpoint every 2 steps; dropout on.
    const spec = tinySpec(presetName, { training: { batchSize: 4 } });
    const options = (outDir: string): TrainOptions => ({ spec, schema: TINY_SCHEMA, train: trainDocs, dev: devDocs, outDir });

    it('resumed after kills mid-epoch, ends with the same steps, log and weights as an uninterrupted run', async () => {
      const straight = await train(options(join(root, `${presetName}-straight`)));
      expect(straight.globalStep).toBe(8);
      expect(straight.history.map((r) => r.steps)).toEqual([4, 4]);
      straight.model.dispose();

      const outDir = join(root, `${presetName}-killed`);
      const killAt = (step: number): TrainOptions['afterStep'] => (info) => {
        if (info.globalStep === step) throw new Killed(`killed after step ${step}`);
      };
      // Step 6 is in the second epoch, right after a checkpoint; step 7 is after no checkpoint (its work is redone).
      await expect(train({ ...options(outDir), afterStep: killAt(6) })).rejects.toBeInstanceOf(Killed);
      expect(readTrainerState(outDir)).toMatchObject({ epoch: 1, position: 2, globalStep: 6 });
      const numTensors = tf.memory().numTensors;
      await expect(train({ ...options(outDir), resume: true, afterStep: killAt(7) })).rejects.toBeInstanceOf(Killed);
      expect(tf.memory().numTensors).toBe(numTensors); // a killed run frees its model and optimizer
      const steps: number[] = [];
      const resumed = await train({ ...options(outDir), resume: true, onEvent: (e) => e.type === 'step' && steps.push(e.globalStep) });
      expect(resumed.resumed).toBe(true);
      expect(steps).toEqual([7, 8]);
      expect(resumed.globalStep).toBe(straight.globalStep);
      expect(untimed(resumed.history)).toEqual(untimed(straight.history));
      resumed.model.dispose();

      for (const file of [join(CHECKPOINT_DIR, 'weights.safetensors'), join(CHECKPOINT_DIR, OPTIMIZER_FILE), join(BEST_MODEL_DIR, 'weights.safetensors')]) {
        expect(await tensorsOf(join(outDir, file))).toEqual(await tensorsOf(join(root, `${presetName}-straight`, file)));
      }
      const log = readFileSync(join(outDir, TRAIN_LOG_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(untimed(log)).toEqual(untimed(straight.history));
    });
  });
}

describe('train', () => {
  const spec = tinySpec('spert', { training: { epochs: 1 } });

  it('refuses to overwrite a run, and to resume one with another config or other data', async () => {
    const outDir = join(root, 'guard');
    const first = await train({ spec, schema: TINY_SCHEMA, train: trainDocs, dev: devDocs, outDir });
    first.model.dispose();
    await expect(train({ spec, schema: TINY_SCHEMA, train: trainDocs, dev: devDocs, outDir })).rejects.toThrow(/already holds a training run/);
    const other = tinySpec('spert', { training: { epochs: 2 } });
    await expect(train({ spec: other, schema: TINY_SCHEMA, train: trainDocs, dev: devDocs, outDir, resume: true })).rejects.toThrow(/started with another config/);
    await expect(train({ spec, schema: TINY_SCHEMA, train: trainDocs.slice(1), dev: devDocs, outDir, resume: true })).rejects.toThrow(/training documents differ/);
    // A finished run resumes to its result without training.
    const again = await train({ schema: TINY_SCHEMA, train: trainDocs, dev: devDocs, outDir, resume: true, afterStep: () => expect.unreachable() });
    expect(again.globalStep).toBe(4);
    again.model.dispose();
  });

  it('stops early after `earlyStoppingPatience` evaluations without improvement', async () => {
    // lr 0: the dev score never changes, so epoch 1 stays the best and the run stops after epoch 1 + patience.
    const frozen = tinySpec('dixit', { training: { epochs: 6, earlyStoppingPatience: 2, optimizer: { lr: { lr: 0 } } } });
    const events: string[] = [];
    const result = await train({ spec: frozen, schema: TINY_SCHEMA, train: trainDocs.slice(0, 4), dev: devDocs, outDir: join(root, 'early'), onEvent: (e) => events.push(e.type) });
    expect(result.history.map((r) => r.best)).toEqual([true, false, false]);
    expect(result.stoppedEarly).toBe(true);
    expect(result.bestEpoch).toBe(1);
    expect(events.filter((e) => e === 'early-stop')).toHaveLength(1);
    expect(existsSync(join(root, 'early', BEST_MODEL_DIR, 'config.json'))).toBe(true);
    result.model.dispose();
  });

  it('stops when one more epoch would pass `timeBudgetMinutes`, and not before', async () => {
    const run = async (budget: number, dir: string) => {
      const events: TrainEvent[] = [];
      const spec = tinySpec('dixit', { training: { epochs: 3, timeBudgetMinutes: budget } });
      const result = await train({ spec, schema: TINY_SCHEMA, train: trainDocs.slice(0, 2), dev: devDocs, outDir: join(root, dir), onEvent: (e) => events.push(e) });
      result.model.dispose();
      return { result, budgetEvents: events.filter((e) => e.type === 'time-budget') };
    };
    // A budget far below one epoch: the first epoch (always run) shows a second would not fit.
    const tight = await run(1e-9, 'budget-tight');
    expect(tight.result.history).toHaveLength(1);
    expect(tight.result.stoppedEarly).toBe(true);
    expect(tight.budgetEvents).toHaveLength(1);
    const used = tight.result.history[0].trainSeconds / 60 + tight.result.history[0].evalSeconds / 60;
    expect(tight.budgetEvents[0]).toMatchObject({ epoch: 1, budgetMinutes: 1e-9 });
    expect((tight.budgetEvents[0] as { minutesUsed: number }).minutesUsed).toBeCloseTo(used, 9);
    // A generous budget changes nothing.
    const loose = await run(600, 'budget-loose');
    expect(loose.result.history).toHaveLength(3);
    expect(loose.result.stoppedEarly).toBe(false);
    expect(loose.budgetEvents).toHaveLength(0);
  });
});
