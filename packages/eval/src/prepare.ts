import type { Document, TypeSchema } from '@spanrel/datasets';
import { removeOverlapping } from './overlap.js';
import { toScoringView, type ScoringView } from './scoring-view.js';
import { tasksFor, type Tasks } from './tasks.js';
import type { EvaluateOptions } from './types.js';
import { checkInput } from './validate.js';

/** Checked, aligned gold and predicted documents as scoring sees them, with the tasks of the schema. */
export interface PreparedCorpus {
  gold: ScoringView[];
  pred: ScoringView[];
  tasks: Tasks;
}

/** Validates the input (throws {@link EvaluationInputError}) and applies the options that filter documents. */
export function prepareCorpus(
  gold: readonly Document[],
  pred: readonly Document[],
  schema: TypeSchema,
  options: EvaluateOptions = {},
): PreparedCorpus {
  checkInput(gold, pred, schema);
  const view = (doc: Document): ScoringView => {
    const v = toScoringView(doc);
    return options.removeOverlapping ? removeOverlapping(v) : v;
  };
  return { gold: gold.map(view), pred: pred.map(view), tasks: tasksFor(schema) };
}
