import type { Document, TypeSchema } from '@spanrel/datasets';
import { analyseSentence, ERROR_KIND_LABELS, ERROR_KINDS, errorCount, type ErrorKind, type SentenceAnalysis } from './error-analysis.js';
import { escapeHtml } from './html.js';
import { sentenceSvg } from './sentence-svg.js';
import { typeColors } from './type-colors.js';

/**
 * The filter of the error browser, inline (the page loads nothing): a button
 * shows the sentences whose `data-errors` has its kind ("any": at least one
 * error, "all": every sentence) and hides the others.
 */
const FILTER_SCRIPT = `(function () {
  var buttons = document.querySelectorAll('#error-filter button');
  var sentences = document.querySelectorAll('#sentences .sentence');
  var shown = document.getElementById('shown-count');
  function apply(kind) {
    var n = 0;
    sentences.forEach(function (s) {
      var errors = s.getAttribute('data-errors');
      var visible = kind === 'all' || (kind === 'any' ? errors !== '' : errors.split(' ').indexOf(kind) >= 0);
      s.hidden = !visible;
      if (visible) n++;
    });
    buttons.forEach(function (b) { b.setAttribute('aria-pressed', String(b.getAttribute('data-filter') === kind)); });
    shown.textContent = String(n);
  }
  buttons.forEach(function (b) { b.addEventListener('click', function () { apply(b.getAttribute('data-filter')); }); });
})();`;

/** Totals over the corpus: errors of each kind, and the sentences that have at least one. */
export interface ErrorTotals {
  errors: Record<ErrorKind, number>;
  sentences: Record<ErrorKind | 'any', number>;
}

export function errorTotals(analyses: readonly SentenceAnalysis[]): ErrorTotals {
  const errors = Object.fromEntries(ERROR_KINDS.map((k) => [k, 0])) as Record<ErrorKind, number>;
  const sentences = Object.fromEntries([...ERROR_KINDS, 'any'].map((k) => [k, 0])) as Record<ErrorKind | 'any', number>;
  for (const a of analyses) {
    for (const k of ERROR_KINDS) {
      errors[k] += a.errors[k];
      if (a.errors[k] > 0) sentences[k]++;
    }
    if (errorCount(a) > 0) sentences.any++;
  }
  return { errors, sentences };
}

function sentenceHtml(doc: Document, index: number, analysis: SentenceAnalysis, colorOf: (type: string) => string, labelOf: (type: string) => string): string {
  const kinds = ERROR_KINDS.filter((k) => analysis.errors[k] > 0);
  const summary = kinds.length ? kinds.map((k) => `<span class="kind kind-${k}">${analysis.errors[k]} ${ERROR_KIND_LABELS[k]}</span>`).join(' ') : '<span class="kind kind-none">no error</span>';
  return (
    `<div class="sentence" data-index="${index}" data-errors="${kinds.join(' ')}">` +
    `<div class="sentence-head"><span class="sentence-id">#${index} ${escapeHtml(doc.id)}</span> ${summary}</div>` +
    `<div class="sentence-text">${escapeHtml(doc.tokens.join(' '))}</div>` +
    `<div class="sentence-scroll">${sentenceSvg(doc.tokens, analysis, colorOf, labelOf)}</div></div>`
  );
}

/**
 * The error browser: every sentence drawn with its gold and predicted entities
 * and relations (errors marked), and buttons that show only the sentences with
 * errors, or with one kind of error, with counts per kind.
 */
export function errorBrowserHtml(gold: readonly Document[], pred: readonly Document[], schema: TypeSchema): { html: string; totals: ErrorTotals } {
  const analyses = gold.map((g, i) => analyseSentence(g, pred[i]!, schema));
  const totals = errorTotals(analyses);
  const colorOf = typeColors(schema.entities.map((t) => t.name));
  // Bars show the schema's short names (CoNLL04: "Peop" for "People"); tooltips the full type.
  const short = new Map(schema.entities.map((t) => [t.name, t.short || t.name]));
  const labelOf = (type: string) => short.get(type) ?? type;
  const button = (filter: string, label: string, pressed = false) =>
    `<button type="button" data-filter="${filter}" aria-pressed="${pressed}">${label}</button>`;
  const buttons = [
    button('all', `all sentences <b>${gold.length}</b>`, true),
    button('any', `with errors <b>${totals.sentences.any}</b>`),
    ...ERROR_KINDS.map((k) =>
      button(k, `${ERROR_KIND_LABELS[k]} <b data-error-count="${k}">${totals.errors[k]}</b> <small>in ${totals.sentences[k]} sentences</small>`),
    ),
  ];
  const legend =
    '<p class="legend">Predicted entities and relations above the words, gold ones below; arcs point from head to tail. ' +
    '<span class="swatch verdict-correct">correct</span> <span class="swatch verdict-false-positive">false positive</span> ' +
    '<span class="swatch verdict-false-negative">false negative</span> <span class="swatch verdict-wrong-type">wrong type</span> ' +
    '<span class="swatch verdict-wrong-boundary">wrong boundary</span> (a wrong type or boundary is one gold and one predicted item, counted once; hover for details)</p>';
  const html = [
    `<div id="error-filter" class="filters" role="group" aria-label="show sentences">${buttons.join('')}</div>`,
    legend,
    `<p class="shown"><span id="shown-count">${gold.length}</span> of ${gold.length} sentences shown</p>`,
    `<div id="sentences">${gold.map((doc, i) => sentenceHtml(doc, i, analyses[i]!, colorOf, labelOf)).join('\n')}</div>`,
    `<script>${FILTER_SCRIPT}</script>`,
  ].join('\n');
  return { html, totals };
}
