import { ERROR_KIND_LABELS, type EntityMark, type RelationMark, type SentenceAnalysis, type Span, type Verdict } from './error-analysis.js';
import { escapeHtml } from './html.js';

/** Glyph width of the page's 13px monospace font (DejaVu Sans Mono / Menlo: 0.6 em), rounded up so words never touch. */
const CHAR_WIDTH = 8;
const TOKEN_GAP = 9;
const LEFT = 58; // room for the "predicted" / "gold" labels
const RIGHT = 12;
const BAR_HEIGHT = 15;
const BAR_GAP = 3;
const ARC_STEP = 20; // > 4/3 of a label's height, so stacked labels do not overlap
const TOKEN_ROW = 22;

interface Layout {
  x: number[];
  width: number[];
}

function layoutTokens(tokens: readonly string[]): Layout {
  const x: number[] = [];
  const width: number[] = [];
  let at = LEFT;
  for (const token of tokens) {
    x.push(at);
    width.push(Math.max(1, [...token].length) * CHAR_WIDTH);
    at += width[width.length - 1]! + TOKEN_GAP;
  }
  return { x, width };
}

const spanLeft = (l: Layout, s: Span) => l.x[s.start]! - 2;
const spanRight = (l: Layout, s: Span) => l.x[s.end - 1]! + l.width[s.end - 1]! + 2;
const spanCenter = (l: Layout, s: Span) => (spanLeft(l, s) + spanRight(l, s)) / 2;

/** Stacking level of each entity: the lowest row where it overlaps no entity already placed. */
function entityLevels(entities: readonly EntityMark[]): number[] {
  const order = entities.map((_, i) => i).sort((a, b) => entities[a]!.start - entities[b]!.start || entities[b]!.end - entities[a]!.end);
  const rows: Span[][] = [];
  const levels = new Array<number>(entities.length).fill(0);
  for (const i of order) {
    const e = entities[i]!;
    let level = rows.findIndex((row) => row.every((o) => o.end <= e.start || e.end <= o.start));
    if (level < 0) level = rows.push([]) - 1;
    rows[level]!.push(e);
    levels[i] = level;
  }
  return levels;
}

/** Height level of each arc: short arcs low, an arc above every arc it spans over. */
function arcLevels(spans: readonly [number, number][]): number[] {
  const order = spans.map((_, i) => i).sort((a, b) => spans[a]![1] - spans[a]![0] - (spans[b]![1] - spans[b]![0]));
  const levels = new Array<number>(spans.length).fill(1);
  const placed: number[] = [];
  for (const i of order) {
    const [lo, hi] = spans[i]!;
    const below = placed.filter((j) => spans[j]![0] < hi && lo < spans[j]![1]).map((j) => levels[j]!);
    levels[i] = below.length ? Math.max(...below) + 1 : 1;
    placed.push(i);
  }
  return levels;
}

const verdictText = (v: Verdict, note?: string) => (v === 'correct' ? 'correct' : `${ERROR_KIND_LABELS[v]}${note ? ` (${note})` : ''}`);

/** Text width estimate of an SVG label at 10px sans-serif. */
const labelWidth = (text: string) => [...text].length * 6 + 6;

/** An entity bar's label, squeezed into the bar when it would run over it (a one-word entity of a long type). */
function entityLabel(label: string, x: number, y: number, width: number): string {
  const room = width - 5;
  const squeeze = labelWidth(label) - 6 > room ? ` textLength="${room}" lengthAdjust="spacingAndGlyphs"` : '';
  return `<text x="${x + 3}" y="${y + BAR_HEIGHT - 4}"${squeeze}>${escapeHtml(label)}</text>`;
}

/**
 * One side (gold or predicted) of a sentence: entity bars stacked next to the
 * token row, and relation arcs beyond them, labelled with the relation type.
 * `dir` -1 draws upwards from `edge` (the predicted side, above the tokens), +1
 * downwards (gold, below).
 */
function side(
  l: Layout,
  entities: readonly EntityMark[],
  relations: readonly RelationMark[],
  edge: number,
  dir: -1 | 1,
  colorOf: (type: string) => string,
  labelOf: (type: string) => string,
): { svg: string[]; extent: number } {
  const svg: string[] = [];
  const levels = entityLevels(entities);
  const rows = entities.length ? Math.max(...levels) + 1 : 0;
  entities.forEach((e, i) => {
    const near = edge + dir * (levels[i]! * (BAR_HEIGHT + BAR_GAP) + BAR_GAP);
    const y = dir < 0 ? near - BAR_HEIGHT : near;
    const x = spanLeft(l, e);
    const w = spanRight(l, e) - x;
    svg.push(
      `<g class="entity verdict-${e.verdict}"><title>${escapeHtml(`${e.type} [${e.start}, ${e.end}): ${verdictText(e.verdict, e.note)}`)}</title>` +
        `<rect x="${x}" y="${y}" width="${w}" height="${BAR_HEIGHT}" rx="3" fill="${colorOf(e.type)}"/>` +
        entityLabel(labelOf(e.type), x, y, w) + '</g>',
    );
  });
  const arcBase = edge + dir * (rows * (BAR_HEIGHT + BAR_GAP) + BAR_GAP);
  // Where an argument's arc leaves its bar: the bar's outer side (a relation's argument is one of the entities drawn).
  const outerSide = new Map(entities.map((e, i) => [`${e.start}:${e.end}:${e.type}`, edge + dir * ((levels[i]! + 1) * (BAR_HEIGHT + BAR_GAP))]));
  const sideOf = (a: Span & { type: string }) => outerSide.get(`${a.start}:${a.end}:${a.type}`) ?? arcBase;
  const ends = relations.map((r) => [spanCenter(l, r.head), spanCenter(l, r.tail)] as [number, number]);
  const arcLevel = arcLevels(ends.map(([a, b]) => [Math.min(a, b), Math.max(a, b)]));
  let extent = Math.abs(arcBase - edge);
  relations.forEach((r, i) => {
    const [x1, x2] = ends[i]!;
    const h = arcLevel[i]! * ARC_STEP + 6;
    const top = arcBase + dir * h;
    const mid = (x1 + x2) / 2;
    const apex = arcBase + dir * h * 0.75; // a cubic Bezier with both controls at `top` peaks at 3/4 of the way
    const lw = labelWidth(r.type);
    const end = sideOf(r.tail);
    const tip = `${x2 - 3.5},${end + dir * 7} ${x2 + 3.5},${end + dir * 7} ${x2},${end}`;
    svg.push(
      `<g class="relation verdict-${r.verdict}"><title>${escapeHtml(`${r.type}: ${r.head.type} [${r.head.start}, ${r.head.end}) -> ${r.tail.type} [${r.tail.start}, ${r.tail.end}): ${verdictText(r.verdict, r.note)}`)}</title>` +
        `<path class="arc" d="M${x1},${sideOf(r.head)} L${x1},${arcBase} C${x1},${top} ${x2},${top} ${x2},${arcBase} L${x2},${sideOf(r.tail)}"/>` +
        `<polygon class="arrow" points="${tip}"/>` +
        `<rect class="arc-label" x="${mid - lw / 2}" y="${apex - 6.5}" width="${lw}" height="13" rx="2"/>` +
        `<text class="arc-label" x="${mid}" y="${apex + 3.5}" text-anchor="middle">${escapeHtml(r.type)}</text></g>`,
    );
    extent = Math.max(extent, Math.abs(top - edge) + 2);
  });
  return { svg, extent };
}

/**
 * One sentence as an SVG: the tokens in a row, predicted entities and relations
 * above (arcs labelled with the relation type, pointing at the tail), gold ones
 * below; entity bars show `labelOf(type)` (the schema's short names in the
 * report). Each entity and relation carries its verdict as a class
 * (`verdict-correct`, `verdict-false-positive`, ...) and a tooltip; the page's
 * stylesheet colours errors.
 */
export function sentenceSvg(
  tokens: readonly string[],
  analysis: SentenceAnalysis,
  colorOf: (type: string) => string,
  labelOf: (type: string) => string = (type) => type,
): string {
  const l = layoutTokens(tokens);
  const width = l.x[l.x.length - 1]! + l.width[l.width.length - 1]! + RIGHT;
  // Predicted side first, drawn upwards from 0, then shifted below its own extent.
  const pred = side(l, analysis.pred.entities, analysis.pred.relations, 0, -1, colorOf, labelOf);
  const tokenTop = pred.extent + 4;
  const gold = side(l, analysis.gold.entities, analysis.gold.relations, 0, 1, colorOf, labelOf);
  const goldTop = tokenTop + TOKEN_ROW;
  const height = goldTop + gold.extent + 4;
  const words = tokens.map((t, i) => `<text class="token" x="${l.x[i]}" y="${tokenTop + 15}">${escapeHtml(t)}</text>`);
  return [
    `<svg class="sentence-svg" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">`,
    `<text class="side-label" x="4" y="${Math.max(11, tokenTop - 6)}">predicted</text>`,
    `<text class="side-label" x="4" y="${goldTop + 14}">gold</text>`,
    `<g transform="translate(0,${tokenTop})">${pred.svg.join('')}</g>`,
    ...words,
    `<g transform="translate(0,${goldTop})">${gold.svg.join('')}</g>`,
    '</svg>',
  ].join('');
}
