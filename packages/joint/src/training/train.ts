/**
 * The training loop: epochs of shuffled batches, one optimizer step per batch,
 * a dev evaluation after each epoch keeping the best model, early stopping,
 * checkpoints inside epochs, and exact resumption.
 *
 * ```
 * <out>/run.json           the resolved spec of the run
 * <out>/model/             the best model so far (a model folder, see io/model-folder.ts)
 * <out>/checkpoint/        the last checkpoint (see checkpoint.ts)
 * <out>/train-log.jsonl    one EpochRecord per line
 * ```
 *
 * Every random choice of a step (batch order, negative samples) is drawn from a
 * generator seeded by (run seed, epoch, batch position), and the dropout
 * generators are saved in checkpoints, so a run resumed after a kill makes the
 * same steps, with the same samples and masks, as one never interrupted.
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, makeBatches, type Document, type TypeSchema } from '@spanrel/datasets';
import type * as tf from '@tensorflow/tfjs-core';
import { disposeNamedTensors, type AdamW } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import { checkSpec } from '../config/check-spec.js';
import { loadModel, saveModel } from '../io/model-folder.js';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { localBatchStep, type BatchStep } from './batch-step.js';
import {
  hasCheckpoint,
  initialTrainerState,
  loadCheckpoint,
  readTrainerState,
  writeCheckpoint,
  type EpochRecord,
  type TrainerState,
} from './checkpoint.js';
import { evaluateOnDev, evaluateOnDevWith, isBetter, selectionKey, type DevPredictor } from './dev-evaluation.js';
import { documentsFingerprint, mixSeed } from './hashing.js';
import { makeOptimizer } from './make-optimizer.js';
import { lossStrategy } from './loss-strategy.js';
import { sampleBatch } from './samplers.js';
import type { TrainingBatch } from './training-batch.js';

export const BEST_MODEL_DIR = 'model';
export const TRAIN_LOG_FILE = 'train-log.jsonl';
export const RUN_SPEC_FILE = 'run.json';

/** What the loop reports while it runs (for progress bars and logs). */
export type TrainEvent =
  | { type: 'start'; resumed: boolean; epochs: number; stepsPerEpoch: number; totalSteps: number; epoch: number; position: number; globalStep: number }
  | { type: 'epoch-start'; epoch: number; stepsInEpoch: number; position: number }
  | {
      type: 'step';
      /** 1-based epoch. */
      epoch: number;
      /** Steps done in this epoch, this one included. */
      step: number;
      stepsInEpoch: number;
      globalStep: number;
      loss: number;
      entityLoss: number;
      relationLoss: number;
      /** Sentences in the batch. */
      sentences: number;
      lr: number;
    }
  | { type: 'evaluate'; epoch: number; sentences: number }
  | { type: 'epoch-end'; record: EpochRecord }
  | { type: 'checkpoint'; globalStep: number; dir: string }
  | { type: 'early-stop'; epoch: number; patience: number }
  /** Training stopped because one more epoch would pass `training.timeBudgetMinutes`. */
  | { type: 'time-budget'; epoch: number; minutesUsed: number; budgetMinutes: number };

/** Options of {@link train}. */
export interface TrainOptions {
  /** The run's spec; with `resume`, optional (the checkpoint's is used) and, when given, must equal the checkpoint's. */
  spec?: JointSpec;
  schema: TypeSchema;
  train: readonly Document[];
  /** Dev documents, evaluated after each epoch; without them the last epoch's model is kept. */
  dev: readonly Document[];
  /**
   * Documents besides train and dev (test, text to be predicted) whose words keep
   * their fixed word vectors (fixed-vector encoders only; only tokens are read,
   * never labels). Dev words always keep theirs.
   */
  vectorDocs?: readonly Document[];
  /** Output folder (see the layout at the top of this file). */
  outDir: string;
  /** Continue from `<outDir>/checkpoint` (a fresh run when there is none). Without it, an existing checkpoint is an error. */
  resume?: boolean;
  onEvent?: (event: TrainEvent) => void;
  /**
   * How the dev documents are predicted after each epoch; default `model.predict`
   * on this thread. `shardedDevPredictor` (`@spanrel/joint/parallel`) uses every core.
   */
  predictDev?: DevPredictor;
  /**
   * How each batch's step is computed; default `localBatchStep` (this thread).
   * `dataParallelSteps` (`@spanrel/joint/parallel`) computes the gradients of
   * batches of 2 or more sentences on worker threads as well.
   */
  batchStep?: BatchStep;
  /**
   * Called after every optimizer step (after the checkpoint that step may have
   * written). Throwing stops training at once, as a kill would (tests use it).
   */
  afterStep?: (info: { globalStep: number; epoch: number; position: number }) => void;
}

/** What {@link train} returns. */
export interface TrainResult {
  /** The best model (reloaded from `<outDir>/model`); the caller disposes it. */
  model: JointModel;
  history: EpochRecord[];
  globalStep: number;
  /** 1-based epoch of the kept model, or null when no epoch ran. */
  bestEpoch: number | null;
  stoppedEarly: boolean;
  resumed: boolean;
}

/** The batches of one epoch, as indices into the training documents: shuffled with a seed of (run seed, epoch). */
export function epochBatches(numDocs: number, batchSize: number, seed: number, epoch: number): number[][] {
  const indices = Array.from({ length: numDocs }, (_, i) => i);
  return makeBatches(indices, () => 1, { batchSize, shuffle: true, seed: mixSeed(seed, epoch) });
}

/** The training targets of one batch, drawn from a generator seeded by (run seed, epoch, position). */
export function trainingBatch(spec: JointSpec, schema: TypeSchema, docs: readonly Document[], epoch: number, position: number): TrainingBatch {
  return sampleBatch(spec, schema, docs, () => createRng(mixSeed(spec.seed, epoch, position, 1)));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function writeLog(outDir: string, history: readonly EpochRecord[]): Promise<void> {
  const tmp = join(outDir, `${TRAIN_LOG_FILE}.tmp-${process.pid}`);
  await writeFile(tmp, history.map((r) => JSON.stringify(r)).join('\n') + (history.length > 0 ? '\n' : ''));
  await rename(tmp, join(outDir, TRAIN_LOG_FILE));
}

/**
 * Trains a joint model (see the file comment): builds it from `spec` (or
 * resumes a checkpoint), trains for `spec.training.epochs` epochs or until early
 * stopping, keeps the best dev model in `<outDir>/model`, and returns it.
 *
 * ```ts
 * const spec = resolveSpec('spert', { overrides: { training: { epochs: 5 } } });
 * const { model, history } = await train({ spec, schema, train: trainDocs, dev: devDocs, outDir: 'runs/spert' });
 * ```
 */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const { schema, outDir } = options;
  const data = { train: documentsFingerprint(options.train), dev: documentsFingerprint(options.dev) };
  const resumable = await hasCheckpoint(outDir);
  if (resumable && !options.resume) throw new Error(`${outDir} already holds a training run (${join(outDir, 'checkpoint')}); resume it, or choose another output folder`);

  let model: JointModel;
  let state: TrainerState;
  let optimizerState: Map<string, tf.Tensor> | undefined;
  const resumed = resumable;
  if (resumable) {
    state = readTrainerState(outDir);
    if (options.spec && !sameJson(options.spec, state.spec)) {
      throw new Error(`${join(outDir, 'checkpoint')}: the run was started with another config; resume it with the same preset and config (see ${join(outDir, RUN_SPEC_FILE)})`);
    }
    if (state.data.train !== data.train) throw new Error(`${join(outDir, 'checkpoint')}: the training documents differ from the ones the run started with`);
    if (state.data.dev !== data.dev) throw new Error(`${join(outDir, 'checkpoint')}: the dev documents differ from the ones the run started with`);
    ({ model, optimizerState } = await loadCheckpoint(outDir, state));
  } else {
    if (!options.spec) throw new Error('train: a spec is needed to start a run');
    checkSpec(options.spec, 'spec');
    if (options.train.length === 0) throw new Error('train: there are no training documents');
    state = initialTrainerState(structuredClone(options.spec), data);
    model = await buildModel(state.spec, schema, options.train, [...options.dev, ...(options.vectorDocs ?? [])]);
    await mkdir(outDir, { recursive: true });
    await writeFile(join(outDir, RUN_SPEC_FILE), `${JSON.stringify(state.spec, null, 2)}\n`);
  }

  const spec = state.spec;
  const t = spec.training;
  const stepsPerEpoch = Math.ceil(options.train.length / t.batchSize);
  const totalSteps = t.epochs * stepsPerEpoch;
  try {
    lossStrategy(t.loss).check(model);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const params = model.parameters();
  const optimizer: AdamW = makeOptimizer(params, t.optimizer, totalSteps);
  if (optimizerState) {
    try {
      optimizer.importState(optimizerState);
    } finally {
      disposeNamedTensors(optimizerState);
    }
  }
  const emit = (event: TrainEvent) => options.onEvent?.(event);

  try {
    emit({ type: 'start', resumed, epochs: t.epochs, stepsPerEpoch, totalSteps, epoch: state.epoch, position: state.position, globalStep: state.globalStep });
    let lastCheckpointStep = state.globalStep;
    let lastCheckpointTime = Date.now();
    const batchStep = options.batchStep ?? localBatchStep;

    while (!state.finished && state.epoch < t.epochs) {
      const epoch = state.epoch;
      const batches = epochBatches(options.train.length, t.batchSize, spec.seed, epoch);
      emit({ type: 'epoch-start', epoch: epoch + 1, stepsInEpoch: batches.length, position: state.position });
      let segmentStart = Date.now();
      const secondsBefore = state.epochSums.seconds;
      for (let position = state.position; position < batches.length; position++) {
        const docs = batches[position].map((i) => options.train[i]);
        const batch = trainingBatch(spec, schema, docs, epoch, position);
        const lr = optimizer.currentLr();
        const { loss, entityLoss, relationLoss } = await batchStep(model, batch, { spec, optimizer, globalStep: state.globalStep });
        const parts = [entityLoss, relationLoss];
        if (!Number.isFinite(loss)) throw new Error(`training diverged: the loss of step ${state.globalStep + 1} (epoch ${epoch + 1}, batch ${position + 1}) is ${loss}`);
        state.position = position + 1;
        state.globalStep += 1;
        const sums = state.epochSums;
        sums.loss += loss;
        sums.entityLoss += parts[0];
        sums.relationLoss += parts[1];
        sums.steps += 1;
        sums.lr = lr;
        sums.seconds = secondsBefore + (Date.now() - segmentStart) / 1000;
        emit({
          type: 'step',
          epoch: epoch + 1,
          step: state.position,
          stepsInEpoch: batches.length,
          globalStep: state.globalStep,
          loss,
          entityLoss: parts[0],
          relationLoss: parts[1],
          sentences: docs.length,
          lr,
        });
        const due =
          state.globalStep - lastCheckpointStep >= t.checkpointEverySteps ||
          (t.checkpointEverySeconds !== null && (Date.now() - lastCheckpointTime) / 1000 >= t.checkpointEverySeconds);
        if (due && state.position < batches.length) {
          await writeCheckpoint(outDir, model, optimizer, state);
          lastCheckpointStep = state.globalStep;
          lastCheckpointTime = Date.now();
          emit({ type: 'checkpoint', globalStep: state.globalStep, dir: join(outDir, 'checkpoint') });
        }
        options.afterStep?.({ globalStep: state.globalStep, epoch, position: state.position });
      }

      // End of the epoch: evaluate, keep the best model, maybe stop.
      const sums = state.epochSums;
      const evalStart = Date.now();
      let dev: EpochRecord['dev'] = null;
      let devDecoding: EpochRecord['devDecoding'];
      let best = false;
      if (options.dev.length > 0) {
        emit({ type: 'evaluate', epoch: epoch + 1, sentences: options.dev.length });
        ({ scores: dev, decoding: devDecoding } = options.predictDev ? await evaluateOnDevWith(options.predictDev, model, options.dev) : evaluateOnDev(model, options.dev));
        const key = selectionKey(dev, t.selectionMetric);
        best = isBetter(key, state.bestKey);
        if (best) {
          state.bestKey = key;
          state.evaluationsSinceBest = 0;
        } else {
          state.evaluationsSinceBest += 1;
        }
      } else {
        best = true; // without dev data, the latest model is kept
      }
      if (best) {
        await saveModel(model, join(outDir, BEST_MODEL_DIR));
        state.bestEpoch = epoch + 1;
      }
      const steps = Math.max(1, sums.steps);
      const record: EpochRecord = {
        epoch: epoch + 1,
        steps: sums.steps,
        globalStep: state.globalStep,
        loss: sums.loss / steps,
        entityLoss: sums.entityLoss / steps,
        relationLoss: sums.relationLoss / steps,
        lr: sums.lr,
        trainSeconds: sums.seconds,
        evalSeconds: (Date.now() - evalStart) / 1000,
        dev,
        ...(devDecoding ? { devDecoding } : {}),
        best,
      };
      state.history.push(record);
      state.epoch = epoch + 1;
      state.position = 0;
      state.epochSums = { loss: 0, entityLoss: 0, relationLoss: 0, steps: 0, seconds: 0, lr: 0 };
      const patience = t.earlyStoppingPatience;
      if (patience !== null && options.dev.length > 0 && state.evaluationsSinceBest >= patience && state.epoch < t.epochs) {
        state.stoppedEarly = true;
        emit({ type: 'early-stop', epoch: epoch + 1, patience });
      }
      const budget = t.timeBudgetMinutes ?? null;
      if (budget !== null && !state.stoppedEarly && state.epoch < t.epochs) {
        const minutesUsed = state.history.reduce((sum, r) => sum + r.trainSeconds + r.evalSeconds, 0) / 60;
        if (minutesUsed + minutesUsed / state.history.length > budget) {
          state.stoppedEarly = true;
          emit({ type: 'time-budget', epoch: epoch + 1, minutesUsed, budgetMinutes: budget });
        }
      }
      state.finished = state.stoppedEarly || state.epoch >= t.epochs;
      await writeCheckpoint(outDir, model, optimizer, state);
      lastCheckpointStep = state.globalStep;
      lastCheckpointTime = Date.now();
      await writeLog(outDir, state.history);
      emit({ type: 'epoch-end', record });
    }
  } finally {
    optimizer.dispose();
    model.dispose();
  }

  const bestDir = join(outDir, BEST_MODEL_DIR);
  if (!existsSync(bestDir)) throw new Error(`${bestDir}: no model was saved (did any epoch run?)`);
  return {
    model: await loadModel(bestDir),
    history: state.history,
    globalStep: state.globalStep,
    bestEpoch: state.bestEpoch,
    stoppedEarly: state.stoppedEarly,
    resumed,
  };
}
