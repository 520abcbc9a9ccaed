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

/**
 * Renders a Vega-Lite spec to an SVG string, headless, in Node: Vega-Lite
 * compiles it to Vega, and a Vega view without a renderer draws it as SVG. The
 * SVG is standalone (no script, no external resource), so the page that
 * inlines it needs neither Vega nor the network to show it.
 *
 * The SVG's ids become `<idPrefix>-1`, `-2`, ... (give each chart of a page its own prefix).
 */
export async function renderVegaLite(spec: TopLevelSpec, idPrefix = 'chart'): Promise<string> {
  const full = { ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(full).spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    // Vega numbers clip paths with a process-wide counter: renumber them per chart, so the same spec gives the same SVG.
    const ids = new Map<string, string>();
    const rename = (id: string) => ids.get(id) ?? ids.set(id, `${idPrefix}-${ids.size + 1}`).get(id)!;
    return svg.replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${rename(id)}"`).replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`);
  } finally {
    view.finalize();
  }
}
