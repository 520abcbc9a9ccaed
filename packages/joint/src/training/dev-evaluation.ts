import type { Document } from '@spanrel/datasets';
import { evaluate, type Evaluation, type TaskScores } from '@spanrel/eval';
import type { SelectionMetric } from '../config/joint-spec.js';
import type { JointModel } from '../model/joint-model.js';
import { emptyDecodeStats, type DecodeStats } from '../decoding/decode.js';

/** Micro P/R/F1 (percent) of one task, as an epoch log keeps it. */
export interface MicroScores {
  precision: number;
  recall: number;
  f1: number;
}

/** The dev scores of one evaluation. */
export interface DevScores {
  ner: MicroScores;
  re: MicroScores;
  rePlus: MicroScores;
}

const micro = (t: TaskScores): MicroScores => ({ precision: t.micro.precision, recall: t.micro.recall, f1: t.micro.f1 });

/** Micro scores of an evaluation. */
export function devScores(evaluation: Evaluation): DevScores {
  return { ner: micro(evaluation.ner), re: micro(evaluation.re), rePlus: micro(evaluation.rePlus) };
}

/**
 * Predicts the dev documents and scores them against their gold annotations;
 * `decoding` says what the span cap did (see `DecodeStats`).
 */
export function evaluateOnDev(model: JointModel, dev: readonly Document[]): { scores: DevScores; evaluation: Evaluation; decoding: DecodeStats } {
  const decoding = emptyDecodeStats();
  return scoreOnDev(model, dev, model.predict(dev, { stats: decoding }), decoding);
}

/**
 * Predicts the dev documents through `predict` (say, on several threads: see
 * `@spanrel/joint/parallel`), and scores them as {@link evaluateOnDev} does.
 */
export async function evaluateOnDevWith(
  predict: DevPredictor,
  model: JointModel,
  dev: readonly Document[],
): Promise<{ scores: DevScores; evaluation: Evaluation; decoding: DecodeStats }> {
  const decoding = emptyDecodeStats();
  const predictions = await predict(model, dev, decoding);
  if (predictions.length !== dev.length) throw new Error(`dev prediction returned ${predictions.length} documents for ${dev.length} dev documents`);
  return scoreOnDev(model, dev, predictions, decoding);
}

/**
 * How the dev documents are predicted after each epoch of `train` (default:
 * `model.predict` on the calling thread); `stats` gathers the decoding counts.
 */
export type DevPredictor = (model: JointModel, dev: readonly Document[], stats: DecodeStats) => Promise<Document[]>;

function scoreOnDev(model: JointModel, dev: readonly Document[], predictions: Document[], decoding: DecodeStats) {
  const evaluation = evaluate(dev, predictions, model.schema);
  return { scores: devScores(evaluation), evaluation, decoding };
}

/**
 * One line on the span cap when it was hit, e.g. `span cap hit in 12 of 40
 * sentences (310 predicted entity spans dropped, at most 17 kept per
 * sentence)`; null when it was not (or no counts).
 */
export function formatDecodeCap(stats: DecodeStats | undefined | null): string | null {
  if (!stats || stats.cappedSentences === 0) return null;
  return (
    `span cap hit in ${stats.cappedSentences} of ${stats.sentences} sentences ` +
    `(${stats.droppedSpans} predicted entity spans dropped, at most ${stats.maxKeptInSentence} kept per sentence)`
  );
}

/** The selection key of dev scores: [the metric's micro F1, NER micro F1], compared lexicographically. */
export function selectionKey(scores: DevScores, metric: SelectionMetric): [number, number] {
  return [scores[metric].f1, scores.ner.f1];
}

/** Whether `key` beats `best` (strictly; the first of equals is kept). */
export function isBetter(key: readonly [number, number], best: readonly [number, number] | null): boolean {
  if (best === null) return true;
  return key[0] > best[0] || (key[0] === best[0] && key[1] > best[1]);
}
