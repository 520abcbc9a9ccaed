import type { Document, TypeSchema } from '@spanrel/datasets';

/** Which list a document came from; error messages name it. */
export type Side = 'gold' | 'pred';

/** Error thrown by `@spanrel/eval` for bad input; the message names the side, the document and the field. */
export class EvaluationInputError extends Error {
  constructor(message: string) {
    super(`@spanrel/eval: ${message}`);
    this.name = 'EvaluationInputError';
  }
}

function describe(side: Side, index: number, doc: Document): string {
  return `${side} document ${index} (id ${JSON.stringify(doc?.id)})`;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/**
 * Checks that gold and predicted documents line up by position: same number of
 * documents, and the same tokens in each pair. Ids are not compared (a
 * predictor may renumber them).
 */
export function checkAlignment(gold: readonly Document[], pred: readonly Document[]): void {
  if (!Array.isArray(gold)) throw new EvaluationInputError('gold documents must be an array');
  if (!Array.isArray(pred)) throw new EvaluationInputError('pred documents must be an array');
  if (gold.length !== pred.length) {
    throw new EvaluationInputError(
      `gold has ${gold.length} documents but pred has ${pred.length}; documents are aligned by position`,
    );
  }
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    const p = pred[i]!;
    if (!Array.isArray(g?.tokens)) throw new EvaluationInputError(`${describe('gold', i, g)}: field "tokens" must be an array`);
    if (!Array.isArray(p?.tokens)) throw new EvaluationInputError(`${describe('pred', i, p)}: field "tokens" must be an array`);
    if (g.tokens.length !== p.tokens.length) {
      throw new EvaluationInputError(
        `document ${i} (gold id ${JSON.stringify(g.id)}, pred id ${JSON.stringify(p.id)}): field "tokens" differs: ` +
          `gold has ${g.tokens.length} tokens, pred has ${p.tokens.length}`,
      );
    }
    for (let t = 0; t < g.tokens.length; t++) {
      if (g.tokens[t] !== p.tokens[t]) {
        throw new EvaluationInputError(
          `document ${i} (gold id ${JSON.stringify(g.id)}, pred id ${JSON.stringify(p.id)}): field "tokens" differs at ` +
            `tokens[${t}]: gold ${JSON.stringify(g.tokens[t])}, pred ${JSON.stringify(p.tokens[t])}`,
        );
      }
    }
  }
}

/**
 * Checks one document's structure: every entity span lies inside the tokens
 * (`0 <= start < end <= tokens.length`) and every relation points at existing
 * entities. Types are not checked against the schema: a type the schema does not
 * declare (a predictor's own label, say) is scored as a type of its own, listed
 * after the schema's types, rather than making the whole evaluation fail.
 */
export function checkDocument(doc: Document, index: number, side: Side): void {
  const where = describe(side, index, doc);
  if (!Array.isArray(doc.entities)) throw new EvaluationInputError(`${where}: field "entities" must be an array`);
  if (!Array.isArray(doc.relations)) throw new EvaluationInputError(`${where}: field "relations" must be an array`);
  doc.entities.forEach((entity, e) => {
    const field = `entities[${e}]`;
    if (!isIndex(entity?.start) || !isIndex(entity.end) || entity.start >= entity.end || entity.end > doc.tokens.length) {
      throw new EvaluationInputError(
        `${where}: ${field} has span [${entity?.start}, ${entity?.end}), ` +
          `expected integers with 0 <= start < end <= ${doc.tokens.length} (the number of tokens)`,
      );
    }
  });
  doc.relations.forEach((relation, r) => {
    const field = `relations[${r}]`;
    for (const end of ['head', 'tail'] as const) {
      const value = relation?.[end];
      if (!isIndex(value) || value >= doc.entities.length) {
        throw new EvaluationInputError(
          `${where}: ${field}.${end} = ${value} is not an index into entities (${doc.entities.length} entities)`,
        );
      }
    }
  });
}

/** {@link checkAlignment}, then {@link checkDocument} on every gold and predicted document. */
export function checkInput(gold: readonly Document[], pred: readonly Document[], schema: TypeSchema): void {
  if (!schema || !Array.isArray(schema.entities) || !Array.isArray(schema.relations)) {
    throw new EvaluationInputError('schema must have "entities" and "relations" arrays');
  }
  checkAlignment(gold, pred);
  gold.forEach((doc, i) => checkDocument(doc, i, 'gold'));
  pred.forEach((doc, i) => checkDocument(doc, i, 'pred'));
}
