/** Plain-text rendering of `CorpusStatistics` (what `spanrel stats` prints). */
import type { CorpusStatistics, ImbalanceRatio, ImbalanceStatistics } from './statistics.js';

/** Columns aligned with spaces; `align[i]` = 'r' right-aligns column i (numbers). */
export function formatTable(header: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** An integer with thousands separators: 101555 -> "101,555". */
export function formatCount(n: number): string {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatPercent(p: number | null, digits = 2): string {
  return p === null ? '-' : p.toFixed(digits);
}

function formatRatio(r: ImbalanceRatio | null): string {
  return r === null ? '-' : `1 : ${r.ratio.toFixed(1)}`;
}

/**
 * The statistics as plain-text sections: corpus sizes, type counts, overlap, the span
 * coverage table and the class imbalance under sampling.
 */
export function formatStatistics(stats: CorpusStatistics): string {
  const out: string[] = [];
  out.push(
    formatTable(
      ['corpus', 'count'],
      [
        ['documents', formatCount(stats.documents)],
        ['sentences', formatCount(stats.sentences)],
        ['tokens', formatCount(stats.tokens)],
        ['longest sentence (tokens)', formatCount(stats.longestSentence)],
        ['entities', formatCount(stats.entities)],
        ['relations', formatCount(stats.relations)],
        [`entities longer than ${stats.maxWidth} words`, formatCount(stats.entitiesLongerThanMaxWidth)],
        ['nested entity pairs', formatCount(stats.overlap.nestedPairs)],
        ['crossing entity pairs', formatCount(stats.overlap.crossingPairs)],
        ['sentences with overlapping entities', formatCount(stats.overlap.sentencesWithOverlap)],
      ],
      ['l', 'r'],
    ),
  );
  for (const [title, counts, total] of [
    ['entity type', stats.entityTypeCounts, stats.entities],
    ['relation type', stats.relationTypeCounts, stats.relations],
  ] as const) {
    const rows = Object.entries(counts).map(([name, c]) => [name, formatCount(c), total === 0 ? '-' : ((100 * c) / total).toFixed(1)]);
    out.push(formatTable([title, 'count', '%'], rows, ['l', 'r', 'r']));
  }
  out.push(
    'Span coverage (Dixit & Al-Onaizan 2019, Table 2)\n' +
      formatTable(
        ['permitted spans', '# spans', '% entities covered', '% relations covered'],
        stats.spanCoverage.map((r) => [r.policy, formatCount(r.spans), formatPercent(r.entitiesCoveredPercent), formatPercent(r.relationsCoveredPercent)]),
        ['l', 'r', 'r', 'r'],
      ),
  );
  const imbalanceRows = (task: string, s: ImbalanceStatistics) => [task, formatRatio(s.singlePhase), formatRatio(s.phaseOne), formatRatio(s.phaseTwo)];
  const countRows = (task: string, s: ImbalanceStatistics) => Object.entries(s.counts).map(([name, c]) => [task, name, formatCount(c)]);
  out.push(
    `Class counts under sampling (${stats.sampling})\n` +
      formatTable(['task', 'class', 'count'], [...countRows('NER', stats.entityImbalance), ...countRows('RE', stats.relationImbalance)], ['l', 'l', 'r']),
  );
  out.push(
    'Most imbalanced classes, largest : smallest (two-phase paper, Table 6)\n' +
      formatTable(
        ['task', 'single phase', 'phase one (binary)', 'phase two (types)'],
        [imbalanceRows('NER', stats.entityImbalance), imbalanceRows('RE', stats.relationImbalance)],
        ['l', 'r', 'r', 'r'],
      ),
  );
  return out.join('\n\n') + '\n';
}
