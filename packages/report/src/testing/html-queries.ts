/** Small readers of the report's HTML for tests (the browser test reads the DOM itself). */

/** Every `data-metric="..."` cell of the page: metric -> the text shown. */
export function metricCells(html: string): Map<string, string> {
  return new Map([...html.matchAll(/data-metric="([^"]+)">([^<]*)</g)].map((m) => [m[1]!.replace(/&quot;/g, '"'), m[2]!]));
}

/** The inline SVG of the figure `chart-<id>`, or undefined. */
export function chartSvg(html: string, id: string): string | undefined {
  return new RegExp(`<figure class="chart" id="chart-${id}">(<svg[\\s\\S]*?</svg>)</figure>`).exec(html)?.[1];
}
