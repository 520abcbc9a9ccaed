import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Shared look of every chart: the page's font stack (no web font), no border. */
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 11 },
  title: { fontSize: 13, anchor: 'start' },
} as const;

let charts = 0;

/**
 * Renders a Vega-Lite spec to an SVG string, headless, in Node: Vega-Lite
 * compiles it to Vega, and a Vega view without a renderer draws it as SVG. The
 * SVG is standalone (no script, no external resource), so the page that
 * inlines it needs neither Vega nor the network to show it.
 *
 * Any `id` in the SVG is made unique per chart, as several charts share a page.
 */
export async function renderVegaLite(spec: TopLevelSpec): Promise<string> {
  const full = { ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const prefix = `chart${++charts}-`;
    return svg.replace(/\bid="([^"]+)"/g, `id="${prefix}$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}$1)`);
  } finally {
    view.finalize();
  }
}
