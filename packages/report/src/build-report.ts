import { evaluate, evaluateBreakdowns } from '@spanrel/eval';
import { breakdownChartSpecs } from './breakdown-charts.js';
import { checkReportInput, DEFAULT_SOURCES } from './check-report-input.js';
import { confusionChartSpec, entityConfusion } from './entity-confusion.js';
import { errorBrowserHtml } from './error-browser.js';
import { escapeHtml } from './html.js';
import { figure, htmlPage } from './page.js';
import { scoreTablesHtml } from './score-tables.js';
import { devCurveSpec, lossCurveSpec } from './training-curves.js';
import type { ReportInput, RunInfo } from './types.js';
import { renderVegaLite } from './vega-svg.js';

function summaryHtml(run: RunInfo, sentences: number): string {
  const rows: [string, string | null | undefined][] = [
    ['model', run.model],
    ['preset', run.preset],
    ['components', run.components],
    ['encoder', run.encoder],
    ['data', `${run.data} (${sentences} sentences)`],
    ['predictions', run.predictions ?? 'predicted by the model for this report'],
    ['types', run.types],
    ['backend', run.backend],
    ['date', run.date],
  ];
  return `<dl class="summary">${rows
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `<dt>${k}</dt><dd data-field="${k}">${escapeHtml(String(v))}</dd>`)
    .join('')}</dl>`;
}

/**
 * The report of a model on a data set as one self-contained HTML page: a
 * summary of the run, the NER / RE / RE+ tables, charts (training curves when a
 * training log is given, F1 by entity length, sentence length and argument
 * distance, the entity-type confusion matrix), and an error browser that draws
 * every sentence with its gold and predicted entities and relations and
 * filters the sentences by kind of error.
 *
 * Pure: documents, scores and run information in, an HTML string out (charts
 * are Vega-Lite specs rendered to inline SVG here, so the page needs no script
 * library and no network).
 *
 * @throws ReportInputError when the input is empty, the predictions are not for
 *   the gold sentences, or a type is not in the schema (the message names the input).
 */
export async function buildReportHtml(input: ReportInput): Promise<string> {
  const { gold, pred, schema, run } = input;
  checkReportInput(gold, pred, schema, { ...DEFAULT_SOURCES, ...input.sources });
  const evaluation = input.evaluation ?? evaluate(gold, pred, schema);
  const breakdowns = input.breakdowns ?? evaluateBreakdowns(gold, pred, schema);
  const log = input.trainingLog ?? [];

  const training: string[] = [];
  if (log.length > 0) {
    training.push(figure('training-loss', await renderVegaLite(lossCurveSpec(log), 'training-loss')));
    const dev = devCurveSpec(log);
    if (dev) training.push(figure('training-dev', await renderVegaLite(dev, 'training-dev')));
  }
  const breakdownFigures: string[] = [];
  for (const { id, spec } of breakdownChartSpecs(breakdowns)) breakdownFigures.push(figure(id, await renderVegaLite(spec, id)));
  const confusion = figure('confusion', await renderVegaLite(confusionChartSpec(entityConfusion(gold, pred, schema)), 'confusion'));
  const browser = errorBrowserHtml(gold, pred, schema);

  const body = [
    `<h1>spanrel report</h1>`,
    summaryHtml(run, gold.length),
    `<h2 id="scores">Scores</h2>`,
    '<p class="muted">Percent; micro from the summed counts, macro the mean over the types seen in gold or prediction; support = gold tuples.</p>',
    scoreTablesHtml(evaluation),
    `<h2 id="training">Training</h2>`,
    training.length ? `<div class="charts">${training.join('\n')}</div>` : '<p class="muted">No training log: the model folder is not part of a training run (spanrel train --out).</p>',
    `<h2 id="breakdowns">F1 by entity length, sentence length and argument distance</h2>`,
    '<p class="muted">Micro F1 per bucket; a false positive counts in the bucket of the predicted span(s), a false negative in that of the gold ones; n = gold tuples.</p>',
    `<div class="charts">${breakdownFigures.join('\n')}</div>`,
    `<h2 id="confusion">Entity type confusion</h2>`,
    `<p class="muted">Entity spans: a span both sides have is (gold type, predicted type); "${escapeHtml('no entity')}" is the side without an entity on that exact span (a missed or spurious entity, or a boundary error).</p>`,
    `<div class="charts">${confusion}</div>`,
    `<h2 id="errors">Sentences and errors</h2>`,
    browser.html,
  ].join('\n');
  return htmlPage(`spanrel report: ${run.model} on ${run.data}`, body);
}
