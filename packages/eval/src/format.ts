import type { Breakdown, Breakdowns, Evaluation, Scores, TaskScores } from './types.js';

const COLUMNS = ['type', 'precision', 'recall', 'f1-score', 'support'] as const;

/** One row as SpERT's evaluator prints it: `%20s` then four ` %12s` columns. */
function row(cells: readonly string[]): string {
  return cells[0]!.padStart(20) + cells.slice(1).map((c) => ' ' + c.padStart(12)).join('');
}

function scoreRow(label: string, s: Scores, support: number): string {
  return row([label, s.precision.toFixed(2), s.recall.toFixed(2), s.f1.toFixed(2), String(support)]);
}

/**
 * A SpERT-style table of one task: a header, one row per type (type |
 * precision | recall | f1-score | support), a blank line, then the micro and
 * macro rows (support = all gold tuples).
 */
export function formatTaskTable(scores: TaskScores, firstColumn = 'type'): string {
  const lines = [row([firstColumn, ...COLUMNS.slice(1)])];
  let total = 0;
  for (const [type, s] of Object.entries(scores.perType)) {
    lines.push(scoreRow(type, s, s.support));
    total += s.support;
  }
  lines.push('');
  lines.push(scoreRow('micro', scores.micro, total));
  lines.push(scoreRow('macro', scores.macro, total));
  return lines.join('\n');
}

/**
 * Prints an {@link Evaluation} the way SpERT's evaluator does: NER, then RE
 * without NEC, then RE with NEC (RE+), each a table with per-type rows and the
 * micro and macro averages, in percent with two decimals.
 */
export function formatEvaluation(result: Evaluation): string {
  return [
    '--- Entities (named entity recognition (NER)) ---',
    'An entity is considered correct if the entity type and span is predicted correctly',
    '',
    formatTaskTable(result.ner),
    '',
    '--- Relations ---',
    '',
    'Without named entity classification (NEC)',
    'A relation is considered correct if the relation type and the spans of the two related entities are predicted correctly (entity type is not considered)',
    '',
    formatTaskTable(result.re),
    '',
    'With named entity classification (NEC)',
    'A relation is considered correct if the relation type and the two related entities are predicted correctly (in span and entity type)',
    '',
    formatTaskTable(result.rePlus),
    '',
  ].join('\n');
}

function formatBreakdown(title: string, bucketColumn: string, breakdown: Breakdown): string {
  const lines = [title, '', row([bucketColumn, ...COLUMNS.slice(1)])];
  for (const s of breakdown) lines.push(scoreRow(s.bucket, s, s.support));
  return lines.join('\n');
}

/** Prints {@link Breakdowns} as one table per analysis (bucket | precision | recall | f1-score | support). */
export function formatBreakdowns(b: Breakdowns): string {
  return [
    formatBreakdown('--- NER by entity length (words) ---', 'entity length', b.ner.entityLength),
    formatBreakdown('--- NER by sentence length (tokens) ---', 'sentence length', b.ner.sentenceLength),
    formatBreakdown('--- RE (without NEC) by sentence length (tokens) ---', 'sentence length', b.re.sentenceLength),
    formatBreakdown('--- RE+ (with NEC) by sentence length (tokens) ---', 'sentence length', b.rePlus.sentenceLength),
    formatBreakdown('--- RE (without NEC) by argument distance (words between) ---', 'distance', b.re.argumentDistance),
    formatBreakdown('--- RE+ (with NEC) by argument distance (words between) ---', 'distance', b.rePlus.argumentDistance),
    '',
  ].join('\n\n');
}
