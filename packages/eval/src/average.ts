import { mean } from './metrics.js';
import type { Evaluation, TaskScores, TypeScores } from './types.js';
import { EvaluationInputError } from './validate.js';

function averageTask(tasks: readonly TaskScores[]): TaskScores {
  const avg = (pick: (t: TaskScores) => number): number => mean(tasks.map(pick));
  const sum = (pick: (t: TaskScores) => number): number => tasks.reduce((s, t) => s + pick(t), 0);
  const types: string[] = [];
  for (const t of tasks) for (const type of Object.keys(t.perType)) if (!types.includes(type)) types.push(type);
  const perType: Record<string, TypeScores> = {};
  for (const type of types) {
    const seen = tasks.map((t) => t.perType[type]).filter((s): s is TypeScores => s !== undefined);
    perType[type] = {
      precision: mean(seen.map((s) => s.precision)),
      recall: mean(seen.map((s) => s.recall)),
      f1: mean(seen.map((s) => s.f1)),
      support: seen.reduce((s, x) => s + x.support, 0),
      tp: seen.reduce((s, x) => s + x.tp, 0),
      fp: seen.reduce((s, x) => s + x.fp, 0),
      fn: seen.reduce((s, x) => s + x.fn, 0),
    };
  }
  return {
    micro: {
      precision: avg((t) => t.micro.precision),
      recall: avg((t) => t.micro.recall),
      f1: avg((t) => t.micro.f1),
      tp: sum((t) => t.micro.tp),
      fp: sum((t) => t.micro.fp),
      fn: sum((t) => t.micro.fn),
    },
    macro: {
      precision: avg((t) => t.macro.precision),
      recall: avg((t) => t.macro.recall),
      f1: avg((t) => t.macro.f1),
    },
    perType,
  };
}

/**
 * Averages the evaluations of several folds (ADE is reported as the mean over
 * 10 cross-validation folds): every micro and macro P/R/F1 is the mean over
 * folds; a per-type P/R/F1 is the mean over the folds where that type was seen.
 * Counts and supports are summed over folds.
 */
export function averageEvaluations(results: readonly Evaluation[]): Evaluation {
  if (results.length === 0) throw new EvaluationInputError('averageEvaluations needs at least one evaluation');
  return {
    ner: averageTask(results.map((r) => r.ner)),
    re: averageTask(results.map((r) => r.re)),
    rePlus: averageTask(results.map((r) => r.rePlus)),
  };
}
