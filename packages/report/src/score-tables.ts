import type { Evaluation, TaskScores } from '@spanrel/eval';
import { escapeHtml, percent } from './html.js';

/** Which task a table is of, its key in an {@link Evaluation} and its heading. */
export const TASKS = [
  { key: 'ner', title: 'NER', note: 'an entity is correct when its span and type are' },
  { key: 're', title: 'RE (without NEC)', note: 'a relation is correct when its type and the spans of its two arguments are' },
  { key: 'rePlus', title: 'RE+ (with NEC)', note: 'a relation is correct when its type, the spans and the types of its two arguments are' },
] as const;

type TaskKey = (typeof TASKS)[number]['key'];

/** One row: label, P, R, F1 (two decimals, as `spanrel evaluate` prints them) and support; `metric` names the cells for tools and tests. */
function row(label: string, s: { precision: number; recall: number; f1: number }, support: number, metric: string, cls = ''): string {
  const cell = (name: string, value: number) => `<td class="num" data-metric="${escapeHtml(`${metric}.${name}`)}">${percent(value)}</td>`;
  return `<tr${cls ? ` class="${cls}"` : ''}><th scope="row">${escapeHtml(label)}</th>${cell('precision', s.precision)}${cell('recall', s.recall)}${cell('f1', s.f1)}<td class="num" data-metric="${escapeHtml(`${metric}.support`)}">${support}</td></tr>`;
}

function taskTable(key: TaskKey, title: string, note: string, scores: TaskScores): string {
  const types = Object.entries(scores.perType);
  const total = types.reduce((sum, [, s]) => sum + s.support, 0);
  return [
    `<table class="scores" data-task="${key}"><caption>${escapeHtml(title)} <span class="note">${escapeHtml(note)}</span></caption>`,
    '<thead><tr><th scope="col">type</th><th scope="col">precision</th><th scope="col">recall</th><th scope="col">F1</th><th scope="col">support</th></tr></thead><tbody>',
    ...types.map(([type, s]) => row(type, s, s.support, `${key}.perType.${type}`)),
    row('micro', scores.micro, total, `${key}.micro`, 'average'),
    row('macro', scores.macro, total, `${key}.macro`, 'average'),
    '</tbody></table>',
  ].join('\n');
}

/** The NER, RE and RE+ tables (per type, micro, macro; percent with two decimals; support = gold tuples). */
export function scoreTablesHtml(evaluation: Evaluation): string {
  return `<div class="tables">${TASKS.map((t) => taskTable(t.key, t.title, t.note, evaluation[t.key])).join('\n')}</div>`;
}
