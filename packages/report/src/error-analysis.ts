import type { Document, TypeSchema } from '@spanrel/datasets';

/** The kinds of error the error browser tells apart (for entities and relations alike). */
export const ERROR_KINDS = ['false-positive', 'false-negative', 'wrong-type', 'wrong-boundary'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export const ERROR_KIND_LABELS: Record<ErrorKind, string> = {
  'false-positive': 'false positive',
  'false-negative': 'false negative',
  'wrong-type': 'wrong type',
  'wrong-boundary': 'wrong boundary',
};

/** What became of one entity or relation: found in the other side, or which error it is part of. */
export type Verdict = 'correct' | ErrorKind;

export interface Span {
  start: number;
  end: number;
}

export interface EntityMark extends Span {
  type: string;
  verdict: Verdict;
  /** The other side of a wrong type / wrong boundary pair, in words ("predicted Loc", "gold [3, 5) Org"). */
  note?: string;
}

export interface RelationMark {
  type: string;
  head: Span & { type: string };
  tail: Span & { type: string };
  verdict: Verdict;
  note?: string;
}

/** One sentence as the error browser shows it: both sides' entities and relations with their verdicts, and the errors counted by kind. */
export interface SentenceAnalysis {
  gold: { entities: EntityMark[]; relations: RelationMark[] };
  pred: { entities: EntityMark[]; relations: RelationMark[] };
  /** Errors by kind; a wrong type or wrong boundary pair (one gold, one predicted) counts once. */
  errors: Record<ErrorKind, number>;
}

const sameSpan = (a: Span, b: Span) => a.start === b.start && a.end === b.end;
const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
const showSpan = (s: Span) => `[${s.start}, ${s.end})`;

function entityMarks(doc: Document): EntityMark[] {
  const seen = new Set<string>();
  const out: EntityMark[] = [];
  for (const e of doc.entities) {
    const key = JSON.stringify([e.start, e.end, e.type]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ start: e.start, end: e.end, type: e.type, verdict: 'correct' });
  }
  return out;
}

/** The relations of a document with their arguments resolved; duplicates (symmetric types: in either order) once. */
function relationMarks(doc: Document, symmetric: ReadonlySet<string>): RelationMark[] {
  const seen = new Set<string>();
  const out: RelationMark[] = [];
  for (const r of doc.relations) {
    const head = doc.entities[r.head]!;
    const tail = doc.entities[r.tail]!;
    const args = [[head.start, head.end], [tail.start, tail.end]];
    if (symmetric.has(r.type)) args.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    const key = JSON.stringify([r.type, args]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ type: r.type, head: { start: head.start, end: head.end, type: head.type }, tail: { start: tail.start, end: tail.end, type: tail.type }, verdict: 'correct' });
  }
  return out;
}

/** Pairs items left unmatched on both sides by `fits`, marking both with `kind`; returns the number of pairs. */
function pairUp<T extends { verdict: Verdict; note?: string }>(
  preds: T[],
  golds: T[],
  kind: ErrorKind,
  fits: (p: T, g: T) => boolean,
  describe: (t: T) => string,
): number {
  let pairs = 0;
  for (const p of preds) {
    if (p.verdict !== 'correct') continue;
    const g = golds.find((candidate) => candidate.verdict === 'correct' && fits(p, candidate));
    if (!g) continue;
    p.verdict = kind;
    g.verdict = kind;
    p.note = `gold: ${describe(g)}`;
    g.note = `predicted: ${describe(p)}`;
    pairs++;
  }
  return pairs;
}

/** Marks what the other side lacks as errors, pairing by type first, then by boundaries; `exact` says which items are found as they are. */
function classify<T extends { verdict: Verdict; note?: string; type: string }>(
  preds: T[],
  golds: T[],
  exact: (p: T, g: T) => boolean,
  sameArgs: (p: T, g: T) => boolean,
  overlappingArgs: (p: T, g: T) => boolean,
  describe: (t: T) => string,
  errors: Record<ErrorKind, number>,
): void {
  const unmatched = (items: T[], others: T[]) => items.filter((t) => !others.some((o) => exact(t, o)));
  const predRest = unmatched(preds, golds);
  const goldRest = unmatched(golds, preds);
  errors['wrong-type'] += pairUp(predRest, goldRest, 'wrong-type', sameArgs, describe);
  // Same type first, so that a boundary error is not also reported as a type error when a better pair exists.
  errors['wrong-boundary'] += pairUp(predRest, goldRest, 'wrong-boundary', (p, g) => p.type === g.type && overlappingArgs(p, g), describe);
  errors['wrong-boundary'] += pairUp(predRest, goldRest, 'wrong-boundary', overlappingArgs, describe);
  for (const p of predRest) if (p.verdict === 'correct') (p.verdict = 'false-positive'), errors['false-positive']++;
  for (const g of goldRest) if (g.verdict === 'correct') (g.verdict = 'false-negative'), errors['false-negative']++;
}

/**
 * Compares one predicted sentence with its gold sentence, as the error browser
 * shows it. Entities are (span, type) and relations (type, argument spans) as
 * RE scores them; items found on the other side are correct. Of the rest, a
 * predicted and a gold item on the same span(s) with different types are a
 * wrong type; on overlapping but different spans a wrong boundary; what is
 * left is a false positive (predicted) or a false negative (gold).
 */
export function analyseSentence(gold: Document, pred: Document, schema: TypeSchema): SentenceAnalysis {
  const symmetric = new Set(schema.relations.filter((t) => t.symmetric).map((t) => t.name));
  const errors: Record<ErrorKind, number> = { 'false-positive': 0, 'false-negative': 0, 'wrong-type': 0, 'wrong-boundary': 0 };
  const result: SentenceAnalysis = {
    gold: { entities: entityMarks(gold), relations: relationMarks(gold, symmetric) },
    pred: { entities: entityMarks(pred), relations: relationMarks(pred, symmetric) },
    errors,
  };
  classify(
    result.pred.entities,
    result.gold.entities,
    (p, g) => sameSpan(p, g) && p.type === g.type,
    sameSpan,
    overlaps,
    (e) => `${e.type} ${showSpan(e)}`,
    errors,
  );
  // Argument order matters, except for symmetric relation types.
  const args = (p: RelationMark, g: RelationMark, fits: (a: Span, b: Span) => boolean) =>
    (fits(p.head, g.head) && fits(p.tail, g.tail)) || ((symmetric.has(p.type) || symmetric.has(g.type)) && fits(p.head, g.tail) && fits(p.tail, g.head));
  classify(
    result.pred.relations,
    result.gold.relations,
    (p, g) => p.type === g.type && args(p, g, sameSpan),
    (p, g) => args(p, g, sameSpan),
    (p, g) => args(p, g, overlaps),
    (r) => `${r.type} ${showSpan(r.head)} -> ${showSpan(r.tail)}`,
    errors,
  );
  return result;
}

/** The errors of a sentence in total. */
export function errorCount(analysis: SentenceAnalysis): number {
  return ERROR_KINDS.reduce((sum, k) => sum + analysis.errors[k], 0);
}
