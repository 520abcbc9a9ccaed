import type { Document, TypeSchema } from '@spanrel/datasets';
import { checkDocument, EvaluationInputError, type Side } from '@spanrel/eval';
import { ReportInputError } from './report-input-error.js';

/** Names of the two inputs in messages (file paths in the CLI). */
export interface ReportSources {
  gold: string;
  pred: string;
}

export const DEFAULT_SOURCES: ReportSources = { gold: 'gold documents', pred: 'predicted documents' };

function describe(doc: Document, index: number): string {
  return `document ${index} (id ${JSON.stringify(doc?.id)})`;
}

function checkTypes(doc: Document, index: number, schema: TypeSchema, source: string): void {
  const entityTypes = new Set(schema.entities.map((t) => t.name));
  const relationTypes = new Set(schema.relations.map((t) => t.name));
  doc.entities.forEach((e, i) => {
    if (!entityTypes.has(e.type)) {
      throw new ReportInputError(`${source}: ${describe(doc, index)}: entities[${i}].type ${JSON.stringify(e.type)} is not an entity type of the types (${[...entityTypes].join(', ')})`);
    }
  });
  doc.relations.forEach((r, i) => {
    if (!relationTypes.has(r.type)) {
      throw new ReportInputError(`${source}: ${describe(doc, index)}: relations[${i}].type ${JSON.stringify(r.type)} is not a relation type of the types (${[...relationTypes].join(', ')})`);
    }
  });
}

/**
 * Checks what a report is made of, so that bad input gives an error naming the
 * input instead of a broken page: at least one gold sentence, no empty
 * sentence, predictions for the same sentences (same count, same tokens, in
 * order), spans and relation indices in range, and only types of the schema.
 */
export function checkReportInput(gold: readonly Document[], pred: readonly Document[], schema: TypeSchema, sources: ReportSources = DEFAULT_SOURCES): void {
  if (!Array.isArray(gold) || gold.length === 0) throw new ReportInputError(`${sources.gold}: no sentence (a report needs at least one document)`);
  if (!Array.isArray(pred)) throw new ReportInputError(`${sources.pred}: not a list of documents`);
  if (pred.length !== gold.length) {
    throw new ReportInputError(
      `${sources.pred}: ${pred.length} documents, but ${sources.gold} has ${gold.length}; the predictions must be for the same sentences, in the same order`,
    );
  }
  const sides: [Side, readonly Document[], string][] = [['gold', gold, sources.gold], ['pred', pred, sources.pred]];
  for (const [side, docs, source] of sides) {
    docs.forEach((doc, i) => {
      if (!Array.isArray(doc?.tokens) || doc.tokens.length === 0) throw new ReportInputError(`${source}: ${describe(doc, i)} has no tokens (an empty sentence)`);
      try {
        checkDocument(doc, i, side);
      } catch (e) {
        if (e instanceof EvaluationInputError) throw new ReportInputError(`${source}: ${e.message.replace(/^@spanrel\/eval: /, '')}`);
        throw e;
      }
      checkTypes(doc, i, schema, source);
    });
  }
  gold.forEach((g, i) => {
    const p = pred[i]!;
    const t = g.tokens.findIndex((token: string, k: number) => token !== p.tokens[k]);
    if (g.tokens.length !== p.tokens.length || t >= 0) {
      const where =
        g.tokens.length !== p.tokens.length
          ? `${p.tokens.length} tokens, gold has ${g.tokens.length}`
          : `tokens[${t}] is ${JSON.stringify(p.tokens[t])}, gold has ${JSON.stringify(g.tokens[t])}`;
      throw new ReportInputError(`${sources.pred}: ${describe(p, i)} is not a prediction for ${sources.gold} ${describe(g, i)}: ${where}`);
    }
  });
}
