/**
 * `--train-workers`: data-parallel training. The wasm and cpu backends run one
 * thread, so `train` can compute the gradients of each batch of 2 or more
 * sentences on worker threads as well (`dataParallelSteps` of
 * `@spanrel/joint/parallel`): each takes a shard of the batch's sentences, the
 * main thread takes one too, sums the gradients and updates the weights.
 */
import { join } from 'node:path';
import type { BatchStep } from '@spanrel/joint';
import { dataParallelSteps, defaultGradientWorkers } from '@spanrel/joint/parallel';
import { UsageError } from './command.js';

/** The `--train-workers` flag, for a command's `options`. */
export const TRAIN_WORKERS_OPTION = { 'train-workers': { type: 'string' } } as const;

/** The usage lines of `--train-workers`. */
export const TRAIN_WORKERS_USAGE = `  --train-workers N  gradient worker threads beside the main one, each computing the gradients of a share
              of every batch of 2 or more sentences (default 0; "auto": one per further core, at most 7, on
              the wasm and cpu backends, 0 on tfjs-node). Same numbers with dropout off; with dropout, the
              workers' masks differ from one thread's (a run resumes exactly with the same N)`;

/** `--train-workers`: 0 without it, `defaultGradientWorkers()` for "auto". */
export function trainWorkersFlag(values: Record<string, unknown>): number {
  const value = values['train-workers'];
  if (value === undefined) return 0;
  if (value === 'auto') return defaultGradientWorkers();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--train-workers must be an integer >= 0 or "auto", got "${String(value)}"`);
  return n;
}

/** Where the gradient workers' model snapshot is written (removed by `close`). */
export const TRAIN_SNAPSHOT_DIR = 'train-snapshot';

/** The `batchStep` of `train` on `workers` gradient workers (none for 0), and how to stop them. */
export function trainingOnWorkers(outDir: string, workers: number): { batchStep?: BatchStep; close(): Promise<void> } {
  if (workers === 0) return { close: async () => {} };
  const steps = dataParallelSteps({ workers, snapshotDir: join(outDir, TRAIN_SNAPSHOT_DIR) });
  return { batchStep: steps.batchStep, close: () => steps.close() };
}
