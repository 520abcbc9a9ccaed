import type { TopLevelSpec } from 'vega-lite';
import { escapeHtml, percent } from './html.js';
import { figure, htmlPage } from './page.js';
import { taskColorScale } from './task-colors.js';
import type { CompareInput } from './types.js';
import { renderVegaLite } from './vega-svg.js';

/** Grouped bars: micro F1 of NER, RE and RE+ for each variant. */
export function compareScoresSpec(input: CompareInput): TopLevelSpec {
  const values = input.rows.flatMap((r) => [
    { variant: r.variant, task: 'NER', f1: r.ner.micro.f1, macro: r.ner.macro.f1 },
    { variant: r.variant, task: 'RE', f1: r.re.micro.f1, macro: r.re.macro.f1 },
    { variant: r.variant, task: 'RE+', f1: r.rePlus.micro.f1, macro: r.rePlus.macro.f1 },
  ]);
  return {
    title: 'Test micro F1 per preset',
    width: { step: 24 },
    height: 200,
    data: { values },
    encoding: {
      x: { field: 'variant', type: 'nominal', sort: input.rows.map((r) => r.variant), title: null, axis: { labelAngle: -20 } },
      xOffset: { field: 'task', type: 'nominal', sort: ['NER', 'RE', 'RE+'] },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'f1', type: 'quantitative', title: 'micro F1 (%)', scale: { domain: [0, 100] } },
          color: { field: 'task', type: 'nominal', title: 'task', scale: taskColorScale },
          tooltip: [{ field: 'variant' }, { field: 'task' }, { field: 'f1', format: '.2f', title: 'micro F1' }, { field: 'macro', format: '.2f', title: 'macro F1' }],
        },
      },
      { mark: { type: 'text', dy: -5, fontSize: 8 }, encoding: { y: { field: 'f1', type: 'quantitative' }, text: { field: 'f1', format: '.1f' } } },
    ],
  } as TopLevelSpec;
}

/** Grouped bars: training and evaluation speed (sentences per second) for each variant. */
export function compareSpeedSpec(input: CompareInput): TopLevelSpec {
  const values = input.rows.flatMap((r) => [
    { variant: r.variant, phase: 'train', speed: r.trainSentencesPerSecond },
    { variant: r.variant, phase: 'eval', speed: r.evalSentencesPerSecond },
  ]);
  return {
    title: 'Speed (sentences per second)',
    width: { step: 24 },
    height: 200,
    data: { values },
    encoding: {
      x: { field: 'variant', type: 'nominal', sort: input.rows.map((r) => r.variant), title: null, axis: { labelAngle: -20 } },
      xOffset: { field: 'phase', type: 'nominal', sort: ['train', 'eval'] },
    },
    layer: [
      {
        mark: 'bar',
        encoding: {
          y: { field: 'speed', type: 'quantitative', title: 'sentences / s' },
          color: { field: 'phase', type: 'nominal', title: null, scale: { domain: ['train', 'eval'], range: ['#72b7b2', '#b279a2'] } },
          tooltip: [{ field: 'variant' }, { field: 'phase' }, { field: 'speed', format: '.1f' }],
        },
      },
      { mark: { type: 'text', dy: -5, fontSize: 8 }, encoding: { y: { field: 'speed', type: 'quantitative' }, text: { field: 'speed', format: '.1f' } } },
    ],
  } as TopLevelSpec;
}

function compareTable(input: CompareInput): string {
  const head = ['variant', 'NER micro', 'NER macro', 'RE micro', 'RE macro', 'RE+ micro', 'RE+ macro', 'train sent/s', 'eval sent/s', 'epochs (best)', 'model'];
  const rows = input.rows.map((r) => {
    const f1 = (task: string, avg: string, v: number) => `<td class="num" data-metric="${escapeHtml(`${r.variant}.${task}.${avg}.f1`)}">${percent(v)}</td>`;
    return (
      `<tr><th scope="row">${escapeHtml(r.variant)}</th>` +
      f1('ner', 'micro', r.ner.micro.f1) + f1('ner', 'macro', r.ner.macro.f1) +
      f1('re', 'micro', r.re.micro.f1) + f1('re', 'macro', r.re.macro.f1) +
      f1('rePlus', 'micro', r.rePlus.micro.f1) + f1('rePlus', 'macro', r.rePlus.macro.f1) +
      `<td class="num">${r.trainSentencesPerSecond.toFixed(1)}</td><td class="num">${r.evalSentencesPerSecond.toFixed(1)}</td>` +
      `<td class="num">${r.epochs} (${r.bestEpoch ?? '-'})</td><td>${escapeHtml(r.model)}</td></tr>`
    );
  });
  return `<table class="scores"><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * The page of `spanrel compare` (`compare.html`): what was compared, a grouped
 * bar chart of NER / RE / RE+ micro F1 per preset, the speeds, and the table.
 * Self-contained like {@link buildReportHtml}'s page.
 */
export async function buildCompareHtml(input: CompareInput): Promise<string> {
  if (input.rows.length === 0) throw new Error('compare report: no preset to show (rows is empty)');
  const d = input.data;
  const body = [
    '<h1>spanrel compare</h1>',
    '<dl class="summary">',
    `<dt>encoder</dt><dd>${escapeHtml(input.encoder)}</dd><dt>backend</dt><dd>${escapeHtml(input.backend)}</dd>`,
    `<dt>train</dt><dd>${escapeHtml(d.train)} (${d.trainSentences} sentences)</dd><dt>dev</dt><dd>${escapeHtml(d.dev)} (${d.devSentences} sentences, model selection)</dd>`,
    `<dt>test</dt><dd>${escapeHtml(d.test)} (${d.testSentences} sentences, scored)</dd><dt>types</dt><dd>${escapeHtml(d.types)}</dd>`,
    input.date ? `<dt>date</dt><dd>${escapeHtml(input.date)}</dd>` : '',
    '</dl>',
    '<h2>Scores and speed</h2>',
    `<div class="charts">${figure('compare-scores', await renderVegaLite(compareScoresSpec(input), 'compare-scores'))}${figure('compare-speed', await renderVegaLite(compareSpeedSpec(input), 'compare-speed'))}</div>`,
    '<p class="muted">F1 in percent on the test set; speeds in sentences per second (training: epochs x sentences / training time).</p>',
    compareTable(input),
  ].join('\n');
  return htmlPage('spanrel compare', body);
}
