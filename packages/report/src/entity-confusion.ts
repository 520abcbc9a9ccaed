import type { Document, Entity, TypeSchema } from '@spanrel/datasets';
import type { TopLevelSpec } from 'vega-lite';

/** The row and column label for a span the other side has no entity on (a missed entity, a spurious one, or a boundary error). */
export const NO_ENTITY = 'no entity';

/** Counts of gold type (row) x predicted type (column) over entity spans; `labels` = the schema's types, then {@link NO_ENTITY}. */
export interface EntityConfusion {
  labels: string[];
  /** `counts[gold][pred]`; `counts[NO_ENTITY][NO_ENTITY]` is always 0 (spans neither side has are not counted). */
  counts: Record<string, Record<string, number>>;
}

const spanKey = (e: Entity) => `${e.start}:${e.end}`;

/** The entity types of each span of a document, without duplicates. */
function typesBySpan(doc: Document): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of doc.entities) {
    const types = out.get(spanKey(e)) ?? [];
    if (!types.includes(e.type)) types.push(e.type);
    out.set(spanKey(e), types);
  }
  return out;
}

/**
 * The entity-type confusion matrix, span by span: an exact span that both sides
 * have counts as (gold type, predicted type), so the diagonal is NER's true
 * positives and an off-diagonal cell a wrong type; a span only gold has counts
 * as (type, no entity), one only the prediction has as (no entity, type). A
 * boundary error is therefore one of each. Entities are sets per sentence, as in
 * scoring: row sums minus the diagonal are NER's false negatives per type,
 * column sums minus the diagonal its false positives.
 */
export function entityConfusion(gold: readonly Document[], pred: readonly Document[], schema: TypeSchema): EntityConfusion {
  const labels = [...schema.entities.map((t) => t.name), NO_ENTITY];
  const counts: Record<string, Record<string, number>> = Object.fromEntries(labels.map((g) => [g, Object.fromEntries(labels.map((p) => [p, 0]))]));
  const add = (g: string, p: string) => {
    counts[g]![p]! += 1;
  };
  gold.forEach((g, i) => {
    const goldSpans = typesBySpan(g);
    const predSpans = typesBySpan(pred[i]!);
    for (const span of new Set([...goldSpans.keys(), ...predSpans.keys()])) {
      const gTypes = goldSpans.get(span) ?? [];
      const pTypes = predSpans.get(span) ?? [];
      const gRest = gTypes.filter((t) => !pTypes.includes(t));
      const pRest = pTypes.filter((t) => !gTypes.includes(t));
      for (const t of gTypes) if (pTypes.includes(t)) add(t, t);
      // Several types on one span (rare: nested corpora) pair up in order; the rest meet "no entity".
      for (let k = 0; k < Math.max(gRest.length, pRest.length); k++) add(gRest[k] ?? NO_ENTITY, pRest[k] ?? NO_ENTITY);
    }
  });
  return { labels, counts };
}

/** A heatmap of the confusion matrix: gold type down, predicted type across, the count in each cell. */
export function confusionChartSpec(confusion: EntityConfusion): TopLevelSpec {
  const values = confusion.labels.flatMap((g) =>
    confusion.labels
      .filter((p) => !(g === NO_ENTITY && p === NO_ENTITY))
      .map((p) => ({ gold: g, predicted: p, count: confusion.counts[g]![p]!, correct: g === p })),
  );
  const max = Math.max(1, ...values.map((v) => v.count));
  const axis = (title: string) => ({ field: title === 'gold type' ? 'gold' : 'predicted', type: 'nominal', sort: confusion.labels, title }) as const;
  return {
    title: 'Entity types: gold (rows) x predicted (columns)',
    width: { step: 46 },
    height: { step: 30 },
    data: { values },
    encoding: { y: axis('gold type'), x: { ...axis('predicted type'), axis: { orient: 'top', labelAngle: -30 } } },
    layer: [
      {
        mark: { type: 'rect', stroke: '#fff' },
        encoding: {
          color: { field: 'count', type: 'quantitative', scale: { scheme: 'blues', domain: [0, max] }, legend: null },
          tooltip: [{ field: 'gold' }, { field: 'predicted' }, { field: 'count' }],
        },
      },
      {
        mark: { type: 'text', fontSize: 11 },
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: `datum.count > ${max / 2}`, value: '#fff' }, value: '#222' },
        },
      },
    ],
  } as TopLevelSpec;
}
