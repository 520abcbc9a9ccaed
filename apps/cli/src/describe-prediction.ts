import type { Document } from '@spanrel/datasets';

/** Renders a document's entities and relations on a few lines, for a person to read. */
export function describePrediction(doc: Document): string {
  const mention = (i: number) => {
    const e = doc.entities[i];
    return `[${doc.tokens.slice(e.start, e.end).join(' ')}]${e.type}`;
  };
  const lines = [`  ${doc.tokens.join(' ')}`];
  lines.push(`    entities:  ${doc.entities.map((_, i) => mention(i)).join('  ') || '(none)'}`);
  lines.push(`    relations: ${doc.relations.map((r) => `${mention(r.head)} -${r.type}-> ${mention(r.tail)}`).join('  ') || '(none)'}`);
  return lines.join('\n');
}
