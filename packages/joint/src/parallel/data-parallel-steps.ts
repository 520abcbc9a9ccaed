import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { backendInfo, fusedKernelsEnabled, inPlaceParameterWrites } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import { saveModel } from '../io/model-folder.js';
import type { JointModel } from '../model/joint-model.js';
import { clipOption, localBatchStep, type BatchStep, type StepLosses } from '../training/batch-step.js';
import { shardReduction } from '../training/loss-reduction.js';
import { batchShards, describeShard, sliceBatch, type BatchShard } from './batch-shards.js';
import { copyUnlessWasm } from './copy-unless-wasm.js';
import { GradientThread } from './gradient-thread.js';
import { trainableLayout, variablesOfSlots, writeVariables, type ParameterSlot } from './parameter-layout.js';
import { shardGradients, type ShardGradients } from './shard-gradients.js';

/** Options of {@link dataParallelSteps}. */
export interface DataParallelOptions {
  /** Gradient worker threads beside the calling thread; default {@link defaultGradientWorkers}. */
  workers?: number;
  /** Folder the model is saved to once, for the workers to build their copies from; default a new folder in the OS temp folder. Removed by `close`. */
  snapshotDir?: string;
}

/** A data-parallel {@link BatchStep} and how to stop its threads. */
export interface DataParallelSteps {
  /** Pass as `train({ batchStep })`, or call per batch (see {@link dataParallelSteps}). */
  batchStep: BatchStep;
  /** Gradient worker threads it uses (started with the first batch of 2 or more sentences). */
  readonly workers: number;
  /** The shards of the last step (one per thread that had work; empty when it ran on this thread alone). */
  readonly lastShards: readonly BatchShard[];
  /** Where the last data-parallel step spent its time (null before the first). */
  readonly lastTimings: DataParallelTimings | null;
  /** Stops the worker threads and removes the snapshot folder; call it on every exit path. */
  close(): Promise<void>;
}

/**
 * Gradient workers a training run should use beside the calling thread: one
 * per further core (at most 7) on the single-threaded wasm and cpu backends;
 * none on tfjs-node or a threaded wasm backend, which already run every core.
 */
export function defaultGradientWorkers(): number {
  const info = backendInfo();
  if (info?.choice === 'tfjs-node' || info?.choice === 'tfjs-node-gpu') return 0;
  if (info && info.threads > 1) return 0; // a threaded wasm backend (SPANREL_WASM_THREADS) already uses the cores
  return Math.max(0, Math.min(7, availableParallelism() - 1));
}

/** Milliseconds of one data-parallel step, on the calling thread and in each worker. */
export interface DataParallelTimings {
  /** Writing the weights into the shared buffer (0 when they had not changed). */
  publishMs: number;
  /** This thread's own shard: forward and backward. */
  ownShardMs: number;
  /** Waiting for the workers after its own shard. */
  waitMs: number;
  /** Summing the workers' gradients into this thread's. */
  sumMs: number;
  /** Clipping and the optimizer update. */
  optimizerMs: number;
  /** Per worker: reading the weights, its shard's forward and backward, writing its gradients. */
  workers: { readWeightsMs: number; computeMs: number; writeGradientsMs: number }[];
}

/** The started threads of one model, and the shared buffers they work on. */
interface Pool {
  model: JointModel;
  threads: GradientThread[];
  slots: ParameterSlot[];
  variables: tf.Variable[];
  /** The calling thread's weights, as the workers read them. */
  weights: Float32Array;
  /** Each worker's gradients. */
  gradients: Float32Array[];
  /** What the weights buffer holds: the variables' data ids and the in-place write count when it was written (null: never). */
  written: { ids: object[]; inPlace: number } | null;
}

/**
 * Data-parallel training steps on worker threads (the wasm and cpu backends run
 * one thread): each batch of 2 or more sentences is cut into contiguous shards,
 * one per thread (`batchShards`); every gradient worker computes the loss and
 * gradients of its shard with the current weights, the calling thread does its
 * own (the last, smallest shard), the gradients are summed here, and clipping
 * and the optimizer update run here exactly as on one thread (so the optimizer
 * state, and with it checkpoints and resumption, stay on this thread). A batch
 * of one sentence, or 0 workers, runs `localBatchStep`.
 *
 * - Samples: the calling thread draws the batch's negatives as on one thread
 *   (`trainingBatch`) and ships each worker its shard of them.
 * - Normalizers: each shard divides its `'mean'` losses by the whole batch's
 *   sample counts (`shardReduction`), so the summed shard gradients are the
 *   batch's gradient (equal to float32 rounding, tested to 1e-5).
 * - Weights: the model is saved once to `snapshotDir` for the workers to build
 *   from; before each step the calling thread writes its trainable weights into
 *   one SharedArrayBuffer that the workers read (only when they changed); each
 *   worker writes its gradients into a SharedArrayBuffer of its own.
 * - Dropout: the calling thread's shard draws its masks from the model's
 *   generators (saved in checkpoints, as on one thread); a worker reseeds its
 *   generators every step from (run seed, step, shard). A run with dropout is
 *   therefore reproducible, and resumes exactly, for the same number of
 *   threads; with another number of threads (or none) the masks differ, and so
 *   do the weights. With dropout off, the step equals the single-thread step.
 * - An all-spans batch (Dixit) can be split under `lossReduction: "sum"` (the
 *   preset's) but not `"mean"` (its relation samples are chosen by the forward):
 *   that step throws.
 * - Errors of a worker reject the step, naming the worker and the shard.
 *
 * ```ts
 * const steps = dataParallelSteps({ workers: 1 });
 * try { await train({ ...options, batchStep: steps.batchStep }); } finally { await steps.close(); }
 * ```
 *
 * Node only (worker_threads).
 */
export function dataParallelSteps(options: DataParallelOptions = {}): DataParallelSteps {
  const workers = options.workers ?? defaultGradientWorkers();
  if (!Number.isInteger(workers) || workers < 0) throw new Error(`dataParallelSteps: workers must be an integer >= 0, got ${workers}`);
  let pool: Pool | null = null;
  let starting: Promise<Pool> | null = null;
  let snapshotDir: string | null = null;
  let lastShards: BatchShard[] = [];
  let lastTimings: DataParallelTimings | null = null;
  let closed = false;

  const start = async (model: JointModel, spec: JointSpec): Promise<Pool> => {
    snapshotDir = options.snapshotDir ?? (await mkdtemp(join(tmpdir(), 'spanrel-gradient-workers-')));
    await saveModel(model, snapshotDir);
    const params = model.parameters();
    const { slots, total } = trainableLayout(params);
    const weightsBuffer = new SharedArrayBuffer(total * 4);
    const gradientBuffers = Array.from({ length: workers }, () => new SharedArrayBuffer(total * 4));
    const threads = Array.from({ length: workers }, (_, i) => new GradientThread(`gradient worker ${i + 1}/${workers}`));
    const started: Pool = {
      model,
      threads,
      slots,
      variables: variablesOfSlots(params, slots),
      weights: new Float32Array(weightsBuffer),
      gradients: gradientBuffers.map((b) => new Float32Array(b)),
      written: null,
    };
    try {
      const backend = backendInfo()?.name ?? 'auto';
      const dir = snapshotDir;
      await Promise.all(
        threads.map((t, i) =>
          t.init({ type: 'init', dir, backend, slots, weights: weightsBuffer, gradients: gradientBuffers[i], seed: spec.seed, sampling: spec.training.sampling, loss: spec.training.loss }),
        ),
      );
    } catch (e) {
      await Promise.all(threads.map((t) => t.close()));
      throw e;
    }
    return started;
  };

  const poolFor = async (model: JointModel, spec: JointSpec): Promise<Pool> => {
    if (closed) throw new Error('dataParallelSteps: used after close()');
    starting ??= start(model, spec);
    pool = await starting;
    if (pool.model !== model) throw new Error('dataParallelSteps: the workers were started for another model; make one dataParallelSteps per model');
    return pool;
  };

  /** Writes the weights buffer when the variables changed since it was last written (a new data id, or an in-place write). */
  const publishWeights = (p: Pool): boolean => {
    const ids = p.variables.map((v) => v.dataId as object);
    const inPlace = inPlaceParameterWrites();
    const w = p.written;
    if (w && w.inPlace === inPlace && w.ids.every((id, i) => id === ids[i])) return false;
    writeVariables(p.weights, p.slots, p.variables);
    p.written = { ids, inPlace };
    return true;
  };

  const batchStep: BatchStep = async (model, batch, context) => {
    const sentences = batch.tokens.length;
    if (workers === 0 || sentences < 2) {
      lastShards = [];
      return localBatchStep(model, batch, context);
    }
    const { spec, optimizer, globalStep } = context;
    const reduction = shardReduction(batch, spec.training.lossReduction);
    const p = await poolFor(model, spec);
    const shards = batchShards(sentences, workers + 1);
    lastShards = shards;
    const t0 = performance.now();
    const weightsChanged = publishWeights(p);
    const t1 = performance.now();
    const fused = fusedKernelsEnabled();
    // The workers take the first shards, this thread the last (the smallest: it also sums and updates).
    const remote = shards.slice(0, -1).map((shard, w) =>
      p.threads[w]
        .step({ type: 'step', id: globalStep, batch: sliceBatch(batch, shard.start, shard.end), reduction, globalStep, shard: shard.index, fused, weightsChanged }, describeShard(shard, shards.length))
        .then(
          (reply) => ({ reply, error: null }),
          (error: Error) => ({ reply: null, error }),
        ),
    );
    const own = shards[shards.length - 1];
    let mine: ShardGradients | null = null;
    let ownError: Error | null = null;
    try {
      mine = shardGradients(model, p.variables, sliceBatch(batch, own.start, own.end), reduction, spec.training.sampling, spec.training.loss);
    } catch (e) {
      ownError = new Error(`the calling thread (${describeShard(own, shards.length)}): ${e instanceof Error ? e.message : String(e)}`);
    }
    const t2 = performance.now();
    const answers = await Promise.all(remote); // every worker has finished with the buffers before anything is thrown
    const t3 = performance.now();
    const failed = answers.find((a) => a.error !== null)?.error ?? ownError;
    if (failed || !mine) {
      for (const g of mine?.grads ?? []) g?.dispose();
      throw failed ?? new Error('dataParallelSteps: no gradients');
    }
    const replies = answers.map((a) => a.reply!);
    const named = summedGradients(p, mine, replies.map((r) => new Set(r.present)));
    const t4 = performance.now();
    try {
      optimizer.step(named, clipOption(spec));
    } finally {
      for (const g of named.values()) g.dispose();
      for (const g of mine.grads) g?.dispose();
    }
    const t5 = performance.now();
    lastTimings = { publishMs: t1 - t0, ownShardMs: t2 - t1, waitMs: t3 - t2, sumMs: t4 - t3, optimizerMs: t5 - t4, workers: replies.map((r) => r.timings) };
    const losses: StepLosses = { loss: mine.loss, entityLoss: mine.entityLoss, relationLoss: mine.relationLoss };
    for (const r of replies) {
      losses.loss += r.loss;
      losses.entityLoss += r.entityLoss;
      losses.relationLoss += r.relationLoss;
    }
    return losses;
  };

  return {
    batchStep,
    workers,
    get lastShards() {
      return lastShards;
    },
    get lastTimings() {
      return lastTimings;
    },
    async close() {
      closed = true;
      const p = pool ?? (starting ? await starting.catch(() => null) : null);
      await Promise.all((p?.threads ?? []).map((t) => t.close()));
      pool = null;
      if (snapshotDir) await rm(snapshotDir, { recursive: true, force: true });
    },
  };
}

/**
 * The batch's gradient per parameter name, in parameter order (the order
 * clipping sums the norms in): this thread's shard gradient plus each worker's
 * (read from its buffer) where they have one; a parameter no shard's loss
 * reaches gets none (the optimizer leaves it untouched, as on one thread).
 */
function summedGradients(p: Pool, mine: ShardGradients, present: Set<number>[]): Map<string, tf.Tensor> {
  const named = new Map<string, tf.Tensor>();
  p.slots.forEach((slot, i) => {
    const own = mine.grads[i];
    const parts = present.flatMap((has, w) => (has.has(i) ? [p.gradients[w].subarray(slot.offset, slot.offset + slot.size)] : []));
    if (!own && parts.length === 0) return;
    named.set(
      slot.name,
      tf.tidy(() => {
        let sum: tf.Tensor | null = own;
        for (const part of parts) {
          const g = tf.tensor(copyUnlessWasm(part), slot.shape, 'float32'); // [slot.shape]
          sum = sum ? tf.add(sum, g) : g;
        }
        return own && sum === own ? tf.clone(own) : sum!; // always a tensor of its own (the caller disposes both)
      }),
    );
  });
  return named;
}
