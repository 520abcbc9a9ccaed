/**
 * Shows predicted documents (one per sentence): the words with each entity
 * highlighted and labelled, then every entity and relation as a list. Every
 * item carries its spans and types in `data-*` attributes, so a test can read
 * back exactly what is shown. Text goes in through `textContent` only.
 */
import type { Document, Entity } from '@spanrel/datasets';

/** A hue per type name, so that one type keeps its colour. */
function hueOf(type: string): number {
  let h = 0;
  for (const c of type) h = (h * 31 + c.charCodeAt(0)) % 360;
  return h;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function spanText(doc: Document, e: Entity): string {
  return doc.tokens.slice(e.start, e.end).join(' ');
}

function setSpan(item: HTMLElement, prefix: string, e: Entity): void {
  item.dataset[`${prefix}Start`] = String(e.start);
  item.dataset[`${prefix}End`] = String(e.end);
  item.dataset[`${prefix}Type`] = e.type;
}

/** The words of `doc`, entities marked; where predicted entities overlap, the first (then longest) one is marked (all are listed). */
function highlightedText(doc: Document): { p: HTMLElement; marked: Set<Entity> } {
  const p = element('p', undefined, 'text');
  const shown = new Set<Entity>();
  const marked = [...doc.entities].sort((a, b) => a.start - b.start || b.end - a.end);
  let word = 0;
  const addWords = (end: number) => {
    if (end > word) p.append(`${doc.tokens.slice(word, end).join(' ')} `);
    word = Math.max(word, end);
  };
  for (const e of marked) {
    if (e.start < word) continue; // overlaps a marked entity
    addWords(e.start);
    const mark = element('mark', spanText(doc, e));
    mark.style.setProperty('--hue', String(hueOf(e.type)));
    setSpan(mark, 'entity', e);
    mark.append(element('span', e.type, 'label'));
    p.append(mark, ' ');
    shown.add(e);
    word = e.end;
  }
  addWords(doc.tokens.length);
  return { p, marked: shown };
}

/** Replaces the content of `container` with the predictions. */
export function renderPrediction(container: HTMLElement, docs: readonly Document[]): void {
  container.replaceChildren();
  docs.forEach((doc, sentence) => {
    const section = element('section', undefined, 'sentence');
    section.dataset.sentence = String(sentence);
    const { p, marked } = highlightedText(doc);
    section.append(p);

    const entities = element('ul', undefined, 'entities');
    for (const e of doc.entities) {
      const item = element('li', `${spanText(doc, e)} [${e.type}]${marked.has(e) ? '' : ' (overlaps a highlighted entity)'}`, 'entity');
      setSpan(item, 'entity', e);
      entities.append(item);
    }
    const relations = element('ul', undefined, 'relations');
    for (const r of doc.relations) {
      const head = doc.entities[r.head];
      const tail = doc.entities[r.tail];
      const item = element('li', undefined, 'relation');
      item.dataset.type = r.type;
      setSpan(item, 'head', head);
      setSpan(item, 'tail', tail);
      item.append(element('span', `${spanText(doc, head)} [${head.type}]`), element('span', `—${r.type}→`, 'arrow'), element('span', `${spanText(doc, tail)} [${tail.type}]`));
      relations.append(item);
    }
    if (doc.entities.length === 0) entities.append(element('li', 'no entity found', 'empty'));
    section.append(element('h3', 'Entities'), entities, element('h3', 'Relations'), doc.relations.length > 0 ? relations : element('p', 'no relation found', 'empty'));
    container.append(section);
  });
}
