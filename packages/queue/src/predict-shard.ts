/** One job's work: read a shard, predict it, write its output atomically; skip it when already done. */
import { hostname } from 'node:os';
import { formatDygieJsonl, readDocuments, type DatasetWarning, type Document } from '@spanrel/datasets';
import type { SentenceInput } from '@spanrel/joint';
import { writeFileAtomic } from './atomic-write.js';
import { checkShardOutput } from './shard-output.js';
import type { ShardJobData, ShardJobResult } from './shard-job.js';

/** Predicts documents for sentences (same order, one each): `modelPredictor(model)` or a stand-in in tests. */
export type ShardPredictor = (sentences: readonly SentenceInput[]) => Promise<Document[]>;

/** Options of `predictShard`. */
export interface PredictShardOptions {
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Who does the work, recorded in the result (default `host:pid`). */
  worker?: string;
  /** Called after predicting, before writing: the test hook that holds a shard (see `ShardWorkerOptions.holdBeforeWriteMs`). */
  beforeWrite?: () => Promise<void>;
}

/** `host:pid` of this process. */
export function workerName(): string {
  return `${hostname()}:${process.pid}`;
}

/** The documents (lines) of a shard: sentences grouped by consecutive `docKey`. */
function countDocuments(sentences: readonly Document[]): number {
  let count = 0;
  sentences.forEach((s, i) => {
    if (i === 0 || s.docKey === undefined || s.docKey !== sentences[i - 1].docKey) count++;
  });
  return count;
}

/**
 * Reads a shard (DyGIE++ JSONL; annotations in it are ignored, as `spanrel predict` does),
 * and, unless `data.out` already holds its complete output (`checkShardOutput`), predicts
 * every sentence and writes the predictions to `data.out` atomically (`writeFileAtomic`), as
 * DyGIE++ JSONL with the shard's documents, keys and sentences. A job retried after its
 * worker died thus writes each document once: the output is whole or absent, and a whole one
 * is not written again. Errors name the shard file (and, for bad data, the line and field).
 */
export async function predictShard(data: ShardJobData, predict: ShardPredictor, options: PredictShardOptions = {}): Promise<ShardJobResult> {
  const log = options.log ?? (() => {});
  const worker = options.worker ?? workerName();
  const onWarnings = (warnings: readonly DatasetWarning[]) => log(`${data.shard}: ${warnings.length} warning(s) in the shard, e.g. ${warnings[0].message}`);
  const sentences = readDocuments(data.shard, { format: 'dygie', lenient: true, onWarnings });
  const counts = { documents: countDocuments(sentences), sentences: sentences.length };
  const existing = checkShardOutput(data.out, sentences);
  if (existing.complete) {
    log(`${data.shard}: skipped, ${data.out} is already complete (${counts.sentences} sentences)`);
    return { outcome: 'skipped', ...counts, worker };
  }
  log(`${data.shard}: predicting ${counts.sentences} sentences of ${counts.documents} documents`);
  const predictions = sentences.length === 0 ? [] : await predict(sentences);
  if (predictions.length !== sentences.length) {
    throw new Error(`${data.shard}: the model returned ${predictions.length} predictions for ${sentences.length} sentences`);
  }
  await options.beforeWrite?.();
  writeFileAtomic(data.out, formatDygieJsonl(predictions));
  const entities = predictions.reduce((n, d) => n + d.entities.length, 0);
  const relations = predictions.reduce((n, d) => n + d.relations.length, 0);
  log(`${data.shard}: ${entities} entities, ${relations} relations; written to ${data.out}`);
  return { outcome: 'written', ...counts, worker };
}
