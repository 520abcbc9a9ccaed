/**
 * `--workers`: prediction on every core. The wasm and cpu backends run one
 * thread, so `eval`, `predict`, `compare` and the dev evaluation of `train`
 * spread their sentences over worker threads that each load the model folder
 * (`@spanrel/joint/parallel`), the main thread taking its share too.
 */
import type { Document } from '@spanrel/datasets';
import { join } from 'node:path';
import type { DecodeStats, DevPredictor, JointModel, SentenceInput, TaggedDocument } from '@spanrel/joint';
import { defaultPredictWorkers, ShardedPredictor, shardedDevPredictor } from '@spanrel/joint/parallel';
import { UsageError, type CliIO } from './command.js';
import { predictWithProgress, progressStream } from './model-runtime.js';
import { ProgressBar } from './progress/progress-bar.js';

/** The `--workers` flag, for a command's `options`. */
export const WORKERS_OPTION = { workers: { type: 'string' } } as const;

/** The usage lines of `--workers`. */
export const WORKERS_USAGE = `  --workers   worker threads that predict beside the main one (default: one per further core, at most 7,
              on the wasm and cpu backends; 0 on tfjs-node and for BERT encoders on onnxruntime, which
              use every core themselves)`;

/** Fewer sentences than this are predicted on the main thread alone (starting workers costs about a second). */
export const MIN_SENTENCES_FOR_WORKERS = 64;

/** `--workers`; undefined without it (then `defaultPredictWorkers(model)` decides). */
export function workersFlag(values: Record<string, unknown>): number | undefined {
  const value = values.workers;
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--workers must be an integer >= 0, got "${String(value)}"`);
  return n;
}

/** Options of {@link predictOnWorkers}. */
export interface PredictOnWorkersOptions {
  /** Default: `defaultPredictWorkers(model)`. */
  workers?: number;
  withTags?: boolean;
  stats?: DecodeStats;
  label?: string;
}

/**
 * `model.predict(sentences)` with a progress bar, on `options.workers` worker
 * threads (which load `modelDir`, the folder `model` was loaded from) and this
 * one; on this thread alone for 0 workers or few sentences.
 */
export async function predictOnWorkers(model: JointModel, modelDir: string, sentences: readonly SentenceInput[], io: CliIO, options: PredictOnWorkersOptions & { withTags: true }): Promise<TaggedDocument[]>;
export async function predictOnWorkers(model: JointModel, modelDir: string, sentences: readonly SentenceInput[], io: CliIO, options: PredictOnWorkersOptions): Promise<Document[]>;
export async function predictOnWorkers(model: JointModel, modelDir: string, sentences: readonly SentenceInput[], io: CliIO, options: PredictOnWorkersOptions): Promise<Document[]> {
  const label = options.label ?? 'predicting';
  const workers = options.workers ?? defaultPredictWorkers(model);
  if (workers === 0 || sentences.length < MIN_SENTENCES_FOR_WORKERS) {
    return options.withTags
      ? predictWithProgress(model, sentences, io, label, { withTags: true, stats: options.stats })
      : predictWithProgress(model, sentences, io, label, { stats: options.stats });
  }
  const predictor = await ShardedPredictor.start(modelDir, { workers });
  try {
    const bar = new ProgressBar({ label: `${label} (${workers + 1} threads)`, total: sentences.length, unit: 'sentence', stream: progressStream(io) });
    const documents = await predictor.predict(model, sentences, { withTags: options.withTags, stats: options.stats, onProgress: (done) => bar.update(done) });
    bar.finish();
    return documents;
  } finally {
    await predictor.close();
  }
}

/**
 * The dev evaluation of `train` on `workers` worker threads (none for 0 workers
 * or a dev set too small to be worth it): they load a snapshot of the model in
 * `<outDir>/dev-snapshot`, removed by `close`.
 */
export function devPredictionOnWorkers(outDir: string, workers: number | undefined, devSentences: number): { predictDev?: DevPredictor; close(): Promise<void> } {
  if (workers === 0 || devSentences < MIN_SENTENCES_FOR_WORKERS) return { close: async () => {} };
  return shardedDevPredictor(join(outDir, DEV_SNAPSHOT_DIR), { workers });
}

/** Where {@link devPredictionOnWorkers} saves the model the workers load. */
export const DEV_SNAPSHOT_DIR = 'dev-snapshot';
