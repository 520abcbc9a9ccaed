/**
 * Corpus statistics: sizes, type counts, overlapping entities, entities wider than the span
 * limit, Dixit & Al-Onaizan's span-coverage table, and the class imbalance that negative
 * sampling produces (two-phase paper, Tables 1 and 6).
 */
import { defaultDocumentKey, groupIntoDocuments, type DocumentKeyFn } from './document-groups.js';
import { countNegatives, type NegativeSamplingOptions } from './negative-sampling.js';
import { countSpans, spanRelation } from './spans.js';
import type { Document, TypeSchema } from './types.js';

/** Class name of the sampled negatives in imbalance counts (SpERT's `none`, the paper's Not-Entity / Not-Relation). */
export const NONE_CLASS = '(none)';
/** Class name of all types together in the binary phase one. */
export const ANY_TYPE_CLASS = '(any type)';

export interface StatisticsOptions {
  /** The span width limit of the model (default 10): entities wider than it are counted, and negatives are sampled up to it. */
  maxWidth?: number;
  /** The width limits of the coverage table rows (default [10, 5, 2, 1], as Dixit & Al-Onaizan Table 2). */
  coverageWidths?: number[];
  /** Which consecutive sentences form a document (default: `docKey`, else each sentence alone; see `defaultDocumentKey`). */
  documentKey?: DocumentKeyFn;
  /** The sampling whose imbalance is reported (default SpERT's N_e = N_r = 100; its `maxWidth` defaults to `maxWidth`). */
  sampling?: NegativeSamplingOptions;
}

/** One row of the span-coverage table (Dixit & Al-Onaizan 2019, Table 2). */
export interface SpanCoverageRow {
  /** Human-readable policy, e.g. "all spans in the document", "+ max width 10". */
  policy: string;
  /** `'document'`: any span of the document's tokens, across sentences; `'sentence'`: spans inside one sentence. */
  scope: 'document' | 'sentence';
  /** Width limit (Infinity for none). */
  maxWidth: number;
  /** Number of candidate spans the policy considers, over the corpus. */
  spans: number;
  /** Gold entities whose span the policy considers. */
  entitiesCovered: number;
  /** `entitiesCovered` in percent of all entities (null when there are none). */
  entitiesCoveredPercent: number | null;
  /** Gold relations whose two arguments are both covered. */
  relationsCovered: number;
  relationsCoveredPercent: number | null;
}

/** The most imbalanced pair of classes: `most / least` = `ratio` (the paper's "1 : ratio"). */
export interface ImbalanceRatio {
  ratio: number;
  most: string;
  least: string;
}

/**
 * Class counts under sampling and their imbalance. Counts per class: the gold annotations
 * of each type plus the sampled negatives (`NONE_CLASS`). The imbalance of a set of classes is
 * largest count / smallest count (two-phase paper, 4.4.1: "the smallest number v.s. the
 * largest number"), over the classes with a non-zero count.
 */
export interface ImbalanceStatistics {
  /** Count per type, and `NONE_CLASS` for the sampled negatives. */
  counts: Record<string, number>;
  /** Single-phase classification (SpERT): none + every type. */
  singlePhase: ImbalanceRatio | null;
  /** Phase one of the two-phase model: binary, none vs. all types together (`ANY_TYPE_CLASS`). */
  phaseOne: ImbalanceRatio | null;
  /** Phase two: the types only (negatives were filtered in phase one). */
  phaseTwo: ImbalanceRatio | null;
}

export interface CorpusStatistics {
  documents: number;
  sentences: number;
  tokens: number;
  longestSentence: number;
  entities: number;
  relations: number;
  /** Count per entity type: the schema's types first (zeros included), then other types found, by name. */
  entityTypeCounts: Record<string, number>;
  relationTypeCounts: Record<string, number>;
  /** Entities per width (index = width in words; index 0 unused). */
  entityWidths: number[];
  /** Pairs of entities of one sentence that share a word. */
  overlap: {
    /** One span inside the other (identical spans included). */
    nestedPairs: number;
    /** Overlapping, neither inside the other. */
    crossingPairs: number;
    /** Sentences with at least one overlapping pair. */
    sentencesWithOverlap: number;
  };
  maxWidth: number;
  /** Entities with more than `maxWidth` words (a span model with that limit cannot find them). */
  entitiesLongerThanMaxWidth: number;
  spanCoverage: SpanCoverageRow[];
  /** A short description of the sampling the imbalance is for. */
  sampling: string;
  entityImbalance: ImbalanceStatistics;
  relationImbalance: ImbalanceStatistics;
}

/**
 * Statistics of a corpus of sentence-level documents (see `CorpusStatistics`).
 *
 * The coverage table follows Dixit & Al-Onaizan (Table 2): "all spans across doc" counts
 * every span of a document's concatenated sentences, n(n+1)/2 for n words; "within a
 * sentence" sums that over sentences; "+ max width L" keeps spans of at most L words. An
 * entity is covered when its span is among the candidates (every entity lies inside its
 * sentence here, so the first two rows cover all entities); a relation is covered when both
 * its arguments are.
 */
export function computeStatistics(docs: readonly Document[], schema?: TypeSchema, options: StatisticsOptions = {}): CorpusStatistics {
  const maxWidth = options.maxWidth ?? 10;
  const coverageWidths = options.coverageWidths ?? [10, 5, 2, 1];
  const documentKey = options.documentKey ?? defaultDocumentKey;
  const sampling: NegativeSamplingOptions = { maxWidth, ...(options.sampling ?? {}) };
  const groups = groupIntoDocuments(docs, documentKey);

  let tokens = 0;
  let longestSentence = 0;
  let entities = 0;
  let relations = 0;
  const entityTypeCounts = typeCounter(schema?.entities.map((e) => e.name));
  const relationTypeCounts = typeCounter(schema?.relations.map((r) => r.name));
  const entityWidths: number[] = [0];
  const overlap = { nestedPairs: 0, crossingPairs: 0, sentencesWithOverlap: 0 };
  let entitiesLongerThanMaxWidth = 0;
  let negativeEntities = 0;
  let negativeRelations = 0;

  for (const doc of docs) {
    const n = doc.tokens.length;
    tokens += n;
    longestSentence = Math.max(longestSentence, n);
    entities += doc.entities.length;
    relations += doc.relations.length;
    for (const e of doc.entities) {
      entityTypeCounts.add(e.type);
      const width = e.end - e.start;
      while (entityWidths.length <= width) entityWidths.push(0);
      entityWidths[width]++;
      if (width > maxWidth) entitiesLongerThanMaxWidth++;
    }
    for (const r of doc.relations) relationTypeCounts.add(r.type);
    let overlapping = false;
    for (let i = 0; i < doc.entities.length; i++) {
      for (let j = i + 1; j < doc.entities.length; j++) {
        const kind = spanRelation(doc.entities[i], doc.entities[j]);
        if (kind === 'nested') overlap.nestedPairs++;
        else if (kind === 'crossing') overlap.crossingPairs++;
        if (kind !== 'disjoint') overlapping = true;
      }
    }
    if (overlapping) overlap.sentencesWithOverlap++;
    const negatives = countNegatives(doc, sampling, schema);
    negativeEntities += negatives.entities;
    negativeRelations += negatives.relations;
  }

  const spanCoverage = coverageTable(docs, groups, coverageWidths, entities, relations);
  const entityCounts = entityTypeCounts.result();
  const relationCounts = relationTypeCounts.result();
  return {
    documents: groups.length,
    sentences: docs.length,
    tokens,
    longestSentence,
    entities,
    relations,
    entityTypeCounts: entityCounts,
    relationTypeCounts: relationCounts,
    entityWidths,
    overlap,
    maxWidth,
    entitiesLongerThanMaxWidth,
    spanCoverage,
    sampling: describeSampling(sampling),
    entityImbalance: imbalance(entityCounts, negativeEntities),
    relationImbalance: imbalance(relationCounts, negativeRelations),
  };
}

function coverageTable(
  docs: readonly Document[],
  groups: Document[][],
  widths: number[],
  totalEntities: number,
  totalRelations: number,
): SpanCoverageRow[] {
  const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);
  const row = (policy: string, scope: 'document' | 'sentence', maxWidth: number, spans: number): SpanCoverageRow => {
    let entitiesCovered = 0;
    let relationsCovered = 0;
    for (const doc of docs) {
      const covered = doc.entities.map((e) => e.end - e.start <= maxWidth);
      entitiesCovered += covered.filter(Boolean).length;
      relationsCovered += doc.relations.filter((r) => covered[r.head] && covered[r.tail]).length;
    }
    return {
      policy,
      scope,
      maxWidth,
      spans,
      entitiesCovered,
      entitiesCoveredPercent: percent(entitiesCovered, totalEntities),
      relationsCovered,
      relationsCoveredPercent: percent(relationsCovered, totalRelations),
    };
  };
  const documentSpans = groups.reduce((sum, g) => {
    const n = g.reduce((s, d) => s + d.tokens.length, 0);
    return sum + countSpans(n, Infinity);
  }, 0);
  const sentenceSpans = (w: number) => docs.reduce((sum, d) => sum + countSpans(d.tokens.length, w), 0);
  return [
    row('all spans in the document', 'document', Infinity, documentSpans),
    row('only spans within a sentence', 'sentence', Infinity, sentenceSpans(Infinity)),
    ...widths.map((w) => row(`+ max width ${w}`, 'sentence', w, sentenceSpans(w))),
  ];
}

function imbalance(typeCounts: Record<string, number>, negatives: number): ImbalanceStatistics {
  const counts = { ...typeCounts, [NONE_CLASS]: negatives };
  const positives = Object.values(typeCounts).reduce((a, b) => a + b, 0);
  return {
    counts,
    singlePhase: ratioOf(counts),
    phaseOne: ratioOf({ [NONE_CLASS]: negatives, [ANY_TYPE_CLASS]: positives }),
    phaseTwo: ratioOf(typeCounts),
  };
}

/** Largest / smallest over the classes with a non-zero count; null with fewer than one such class. */
export function ratioOf(counts: Record<string, number>): ImbalanceRatio | null {
  const present = Object.entries(counts).filter(([, c]) => c > 0);
  if (present.length === 0) return null;
  let most = present[0];
  let least = present[0];
  for (const entry of present) {
    if (entry[1] > most[1]) most = entry;
    if (entry[1] < least[1]) least = entry;
  }
  return { ratio: most[1] / least[1], most: most[0], least: least[0] };
}

function describeSampling(s: NegativeSamplingOptions): string {
  if (s.strategy === 'ratio') return `ratio: ${s.ratio ?? 30} x gold per sentence, spans up to width ${s.maxWidth}`;
  return `SpERT: N_e = ${s.negativeEntities ?? 100}, N_r = ${s.negativeRelations ?? 100} per sentence, spans up to width ${s.maxWidth}`;
}

/** Counts by name, with the declared names first (zeros kept) and the others after, by name. */
function typeCounter(declared: string[] | undefined) {
  const counts = new Map<string, number>();
  for (const name of declared ?? []) counts.set(name, 0);
  const known = new Set(declared ?? []);
  return {
    add(name: string) {
      counts.set(name, (counts.get(name) ?? 0) + 1);
    },
    result(): Record<string, number> {
      const out: Record<string, number> = {};
      for (const name of declared ?? []) out[name] = counts.get(name)!;
      for (const name of [...counts.keys()].filter((k) => !known.has(k)).sort()) out[name] = counts.get(name)!;
      return out;
    },
  };
}
