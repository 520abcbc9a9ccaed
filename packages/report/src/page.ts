import { escapeHtml } from './html.js';

/** The page's only stylesheet (inline): system fonts, no web font, nothing loaded. */
const STYLE = `
:root { --red: #d62728; --orange: #e6550d; --purple: #9467bd; --ok: #5a5a5a; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 1200px; color: #222; }
h1 { font-size: 1.5rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; font-size: .9rem; }
dl.summary dt { color: #666; } dl.summary dd { margin: 0; font-family: ui-monospace, Menlo, Consolas, monospace; word-break: break-all; }
.tables { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
table { border-collapse: collapse; font-size: .85rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .3rem; }
caption .note { display: block; font-weight: normal; color: #666; font-size: .8rem; max-width: 22rem; }
th, td { padding: .15rem .6rem; border-bottom: 1px solid #eee; } th[scope=row] { text-align: left; font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; } tr.average th, tr.average td { font-weight: 600; background: #f6f6f6; }
.charts { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
figure.chart { margin: 0; } figure.chart svg { display: block; max-width: 100%; height: auto; }
.muted { color: #777; font-size: .9rem; }
.filters { display: flex; flex-wrap: wrap; gap: .4rem; margin: .5rem 0; }
.filters button { font: inherit; font-size: .85rem; padding: .25rem .6rem; border: 1px solid #bbb; border-radius: 4px; background: #fafafa; cursor: pointer; }
.filters button[aria-pressed=true] { background: #333; color: #fff; border-color: #333; }
.legend, .shown { font-size: .85rem; color: #444; }
.swatch { padding: 0 .3rem; border-radius: 3px; border: 2px solid; white-space: nowrap; display: inline-block; }
.sentence { border-top: 1px solid #eee; padding: .5rem 0; }
.sentence-head { font-size: .8rem; color: #555; } .sentence-id { font-family: ui-monospace, Menlo, Consolas, monospace; margin-right: .5rem; }
.sentence-text { font-size: .85rem; margin: .2rem 0; }
.kind { padding: 0 .35rem; border-radius: 3px; background: #fde0dd; } .kind-none { background: #e5f5e0; }
.sentence-scroll { overflow-x: auto; }
.sentence-svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.sentence-svg text.token { font-size: 13px; fill: #111; }
.sentence-svg .entity text { font-size: 10px; fill: #222; font-family: system-ui, sans-serif; }
.sentence-svg text.side-label { font-size: 10px; fill: #888; font-family: system-ui, sans-serif; }
.sentence-svg .entity rect { stroke: var(--ok); stroke-width: 1; }
.sentence-svg .arc { fill: none; stroke: var(--ok); stroke-width: 1.3; } .sentence-svg .arrow { fill: var(--ok); }
.sentence-svg rect.arc-label { fill: #fff; } .sentence-svg text.arc-label { font-size: 10px; fill: #333; font-family: system-ui, sans-serif; }
.verdict-correct { border-color: var(--ok); }
.verdict-false-positive, .verdict-false-negative { border-color: var(--red); }
.verdict-wrong-type { border-color: var(--orange); } .verdict-wrong-boundary { border-color: var(--purple); }
.sentence-svg .verdict-false-positive rect, .sentence-svg .verdict-false-negative rect { stroke: var(--red); stroke-width: 2; stroke-dasharray: 4 2; }
.sentence-svg .verdict-wrong-type rect { stroke: var(--orange); stroke-width: 2; }
.sentence-svg .verdict-wrong-boundary rect { stroke: var(--purple); stroke-width: 2; stroke-dasharray: 1 2; }
.sentence-svg .relation.verdict-false-positive .arc, .sentence-svg .relation.verdict-false-negative .arc { stroke: var(--red); stroke-dasharray: 4 2; }
.sentence-svg .relation.verdict-false-positive .arrow, .sentence-svg .relation.verdict-false-negative .arrow { fill: var(--red); }
.sentence-svg .relation.verdict-wrong-type .arc { stroke: var(--orange); } .sentence-svg .relation.verdict-wrong-type .arrow { fill: var(--orange); }
.sentence-svg .relation.verdict-wrong-boundary .arc { stroke: var(--purple); } .sentence-svg .relation.verdict-wrong-boundary .arrow { fill: var(--purple); }
.sentence-svg rect.arc-label { stroke: none; }
footer { margin-top: 2rem; font-size: .8rem; color: #888; }
`;

/**
 * A complete, self-contained HTML page: inline style and scripts only; the
 * Content-Security-Policy forbids every load from elsewhere, so the page
 * works from disk with no network and cannot leak a request.
 */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<footer>Made by @spanrel/report. Charts: Vega-Lite, rendered to SVG when the report was written.</footer>
</body>
</html>
`;
}

/** A chart (inline SVG) with an id for links and tests. */
export function figure(id: string, svg: string): string {
  return `<figure class="chart" id="chart-${escapeHtml(id)}">${svg}</figure>`;
}
