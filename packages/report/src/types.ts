/**
 * Input types of `@spanrel/report`. Everything is plain JSON (documents,
 * scores, strings and numbers): the report functions read no files and touch
 * no tensors, so any caller (the CLI, a notebook, a server) can build a page.
 */
import type { Document, TypeSchema } from '@spanrel/datasets';
import type { Breakdowns, Evaluation, Scores } from '@spanrel/eval';

/** What the summary at the top of a report says about the run. */
export interface RunInfo {
  /** The model folder (as given, or resolved). */
  model: string;
  /** The preset the model was trained from, when known (a training run's `run.json`). */
  preset?: string | null;
  /** Component names, e.g. `bilstm + spert-span + softmax-entity + spert-relation`. */
  components?: string | null;
  /** The encoder's registry name. */
  encoder?: string | null;
  /** The gold documents (a path, as the user gave it). */
  data: string;
  /** The predicted documents when they came from a file; null or absent: predicted by the model for this report. */
  predictions?: string | null;
  /** The types file, when one was given. */
  types?: string | null;
  /** The tfjs backend that predicted, or a note that none did. */
  backend?: string | null;
  /** When the report was made (ISO 8601); the page shows it as given. */
  date: string;
}

/** One epoch of a training run (a line of `train-log.jsonl`), as far as the charts need it. */
export interface TrainingEpoch {
  epoch: number;
  loss: number;
  entityLoss?: number;
  relationLoss?: number;
  /** Dev micro scores (percent), or null when the run had no dev set. */
  dev: { ner: Scores; re: Scores; rePlus: Scores } | null;
  best?: boolean;
}

/** Everything {@link buildReportHtml} needs. */
export interface ReportInput {
  gold: readonly Document[];
  pred: readonly Document[];
  schema: TypeSchema;
  run: RunInfo;
  /** `evaluate(gold, pred, schema)`; computed when absent. */
  evaluation?: Evaluation;
  /** `evaluateBreakdowns(gold, pred, schema)`; computed when absent. */
  breakdowns?: Breakdowns;
  /** The training log of the run the model comes from; absent or empty: no training curves. */
  trainingLog?: readonly TrainingEpoch[] | null;
  /** Names of the gold and predicted inputs in error messages (default "gold documents" / "predicted documents"). */
  sources?: { gold?: string; pred?: string };
}

/** Micro and macro scores of one task (percent). */
export interface CompareTaskScores {
  micro: Scores;
  macro: Scores;
}

/** One line of a comparison (the shape of `spanrel compare`'s rows). */
export interface CompareEntry {
  variant: string;
  preset: string;
  model: string;
  ner: CompareTaskScores;
  re: CompareTaskScores;
  rePlus: CompareTaskScores;
  trainSentencesPerSecond: number;
  evalSentencesPerSecond: number;
  epochs: number;
  bestEpoch: number | null;
}

/** What {@link buildCompareHtml} needs: the content of `compare.json`. */
export interface CompareInput {
  encoder: string;
  backend: string;
  data: { train: string; dev: string; test: string; types: string; trainSentences: number; devSentences: number; testSentences: number };
  rows: readonly CompareEntry[];
  /** When the comparison was made (ISO 8601); optional. */
  date?: string;
}
