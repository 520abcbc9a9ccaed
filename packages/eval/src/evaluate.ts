import type { Document, TypeSchema } from '@spanrel/datasets';
import { matchTuples, tallyMatch } from './match.js';
import { summarise } from './metrics.js';
import { prepareCorpus } from './prepare.js';
import type { ScoringView } from './scoring-view.js';
import type { Task } from './tasks.js';
import type { Counts, EvaluateOptions, Evaluation, TaskScores } from './types.js';

/** Scores one task over aligned documents: per-document set matching, counts summed per type. */
export function scoreTask<T>(task: Task<T>, gold: readonly ScoringView[], pred: readonly ScoringView[]): TaskScores {
  const counts = new Map<string, Counts>();
  for (let i = 0; i < gold.length; i++) {
    const match = matchTuples(task.extract(gold[i]!), task.extract(pred[i]!), task.key);
    tallyMatch(match, task.type, counts);
  }
  return summarise(counts, task.types);
}

/**
 * Scores predicted documents against gold documents, as the span-based NER+RE
 * papers do (SpERT's evaluator conventions).
 *
 * - Documents are aligned by position; both lists must have the same length
 *   and each pair the same tokens.
 * - NER: (start, end, type). RE (without NEC): (head span, tail span, relation
 *   type). RE+ (with NEC): (head span, head type, tail span, tail type,
 *   relation type), argument types from the same document's entities.
 * - Tuples are sets per document; a wrong type is one FP plus one FN;
 *   symmetric relation types (schema `symmetric: true`) are order-free.
 * - Figures are percentages; micro from summed counts, macro = mean of
 *   per-type P, R and F1 over types seen in gold or prediction; 0/0 = 0.
 *
 * @example
 * const result = evaluate(goldDocs, predictedDocs, schema);
 * result.rePlus.micro.f1; // e.g. 71.47
 * console.log(formatEvaluation(result));
 *
 * @throws EvaluationInputError when the documents do not align, a span is out
 *   of range, a relation index is out of range or a type is not in the schema.
 */
export function evaluate(
  gold: readonly Document[],
  pred: readonly Document[],
  schema: TypeSchema,
  options: EvaluateOptions = {},
): Evaluation {
  const corpus = prepareCorpus(gold, pred, schema, options);
  return {
    ner: scoreTask(corpus.tasks.ner, corpus.gold, corpus.pred),
    re: scoreTask(corpus.tasks.re, corpus.gold, corpus.pred),
    rePlus: scoreTask(corpus.tasks.rePlus, corpus.gold, corpus.pred),
  };
}
