import { describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLite } from './vega-svg.js';

const spec: TopLevelSpec = {
  data: { values: [{ x: 1, y: 2 }, { x: 2, y: 5 }, { x: 3, y: 1 }] },
  mark: { type: 'line', clip: true }, // clipping makes Vega emit a <clipPath id=...>
  encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative', scale: { domain: [0, 3] } } },
};

describe('renderVegaLite', () => {
  it('renders a spec to standalone SVG in Node, ids prefixed per chart', async () => {
    const svg = await renderVegaLite(spec, 'one');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/aria-roledescription="line mark"/);
    expect(svg).not.toMatch(/<script|<image|href="http/);
    const ids = [...svg.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id.startsWith('one-')).toBe(true);
    for (const [, ref] of svg.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
  });

  it('is deterministic: the same spec and prefix give the same SVG', async () => {
    expect(await renderVegaLite(spec, 'a')).toBe(await renderVegaLite(spec, 'a'));
  });
});
