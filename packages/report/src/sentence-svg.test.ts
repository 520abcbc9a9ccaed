import { describe, expect, it } from 'vitest';
import { analyseSentence } from './error-analysis.js';
import { sentenceSvg } from './sentence-svg.js';
import { GOLD, PRED, SCHEMA } from './testing/fixtures.js';

const gray = () => '#ccc';

describe('sentenceSvg', () => {
  it('draws the words in order, each side its entity bars and one arc per relation with its label', () => {
    const svg = sentenceSvg(GOLD[1]!.tokens, analyseSentence(GOLD[1]!, PRED[1]!, SCHEMA), gray);
    expect([...svg.matchAll(/<text class="token"[^>]*>([^<]*)</g)].map((m) => m[1])).toEqual(GOLD[1]!.tokens);
    expect(svg.match(/<g class="entity /g)).toHaveLength(6);
    expect([...svg.matchAll(/<g class="relation (verdict-[a-z-]+)"/g)].map((m) => m[1])).toEqual(['verdict-wrong-boundary', 'verdict-wrong-boundary']);
    expect(svg.match(/<text class="arc-label"[^>]*>Work_For</g)).toHaveLength(2);
    // Tooltips say what went wrong.
    expect(svg).toContain('<title>Peop [7, 8): wrong type (gold: Loc [7, 8))</title>');
  });

  it('points each arc from the head bar to the tail bar: predicted above the words, gold below', () => {
    const svg = sentenceSvg(GOLD[0]!.tokens, analyseSentence(GOLD[0]!, PRED[0]!, SCHEMA), gray);
    const arcs = [...svg.matchAll(/<path class="arc" d="M([\d.]+),(-?[\d.]+) L[\d.]+,(-?[\d.]+) C[^"]* L([\d.]+),(-?[\d.]+)"/g)].map((m) => m.slice(1).map(Number));
    expect(arcs).toHaveLength(2);
    const [pred, gold] = arcs as [number[], number[]];
    // Head "Ada Brandt" is left of tail "Oslo"; the predicted arc goes up (negative y), the gold one down.
    expect(pred[0]!).toBeLessThan(pred[3]!);
    expect(pred[2]!).toBeLessThan(pred[1]!);
    expect(gold[2]!).toBeGreaterThan(gold[1]!);
  });

  it('labels bars with labelOf, squeezing a label longer than its bar', () => {
    const doc = { id: 'x', tokens: ['I', 'saw', 'Bo'], entities: [{ start: 2, end: 3, type: 'Peop' }], relations: [] };
    const wide = sentenceSvg(doc.tokens, analyseSentence(doc, doc, SCHEMA), gray, () => 'A-very-long-label');
    expect(wide).toMatch(/textLength="\d+(\.\d+)?" lengthAdjust="spacingAndGlyphs">A-very-long-label</);
    const narrow = sentenceSvg(doc.tokens, analyseSentence(doc, doc, SCHEMA), gray, () => 'P');
    expect(narrow).not.toContain('textLength');
  });
});
