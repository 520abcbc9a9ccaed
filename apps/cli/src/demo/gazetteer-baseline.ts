/**
 * A non-neural baseline used by the demo until a model is trained: entity
 * mentions are looked up in a gazetteer learned from training documents
 * (longest match first), and a relation is predicted for an ordered pair of
 * found entities when the training data had a relation for the same
 * (head type, tail type, words between) key. It gives the scorer something
 * realistic to score: right, wrong and missing tuples.
 */
import type { Document, Entity, Relation } from '@spanrel/datasets';

export class GazetteerBaseline {
  private readonly mentionTypes = new Map<string, Map<string, number>>();
  private readonly pairRelations = new Map<string, Map<string, number>>();
  private maxMentionLength = 1;

  /** Counts mention strings and relation contexts of the training documents. */
  fit(documents: readonly Document[]): this {
    for (const doc of documents) {
      for (const e of doc.entities) {
        increment(this.mentionTypes, doc.tokens.slice(e.start, e.end).join(' '), e.type);
        this.maxMentionLength = Math.max(this.maxMentionLength, e.end - e.start);
      }
      for (const r of doc.relations) {
        increment(this.pairRelations, pairKey(doc, doc.entities[r.head], doc.entities[r.tail]), r.type);
      }
    }
    return this;
  }

  predict(doc: Document): Document {
    const entities: Entity[] = [];
    for (let start = 0; start < doc.tokens.length; ) {
      let found: Entity | undefined;
      for (let width = Math.min(this.maxMentionLength, doc.tokens.length - start); width >= 1 && !found; width--) {
        const type = argmax(this.mentionTypes.get(doc.tokens.slice(start, start + width).join(' ')));
        if (type) found = { type, start, end: start + width };
      }
      if (found) entities.push(found);
      start = found ? found.end : start + 1;
    }
    const relations: Relation[] = [];
    entities.forEach((head, h) =>
      entities.forEach((tail, t) => {
        const type = h === t ? undefined : argmax(this.pairRelations.get(pairKey(doc, head, tail)));
        if (type) relations.push({ type, head: h, tail: t });
      }),
    );
    return { id: doc.id, tokens: doc.tokens, entities, relations };
  }
}

function pairKey(doc: Document, head: Entity, tail: Entity): string {
  const between = head.end <= tail.start ? doc.tokens.slice(head.end, tail.start) : doc.tokens.slice(tail.end, head.start);
  return `${head.type}|${tail.type}|${head.start < tail.start ? '>' : '<'}|${between.join(' ')}`;
}

function increment(table: Map<string, Map<string, number>>, key: string, label: string): void {
  const counts = table.get(key) ?? new Map<string, number>();
  counts.set(label, (counts.get(label) ?? 0) + 1);
  table.set(key, counts);
}

function argmax(counts: Map<string, number> | undefined): string | undefined {
  let best: string | undefined;
  let bestCount = 0;
  for (const [label, count] of counts ?? []) if (count > bestCount) [best, bestCount] = [label, count];
  return best;
}
