/**
 * Sentences -> documents. Readers produce one `Document` per sentence; document-level
 * statistics need to know which consecutive sentences form one source document.
 */
import type { Document } from './types.js';

/** The key of the source document a sentence belongs to. */
export type DocumentKeyFn = (doc: Document, index: number) => string;

/**
 * The default: `doc.docKey` when the reader set one (DyGIE++ `doc_key`, CoNLL
 * `-DOCSTART-` blocks); otherwise the sentence is its own document. SpERT JSON has no
 * document field (CoNLL04's `orig_id` is a bare sentence number), so each of its entries is
 * one document; pass `documentKeyFromIdPrefix` when ids encode the document.
 */
export const defaultDocumentKey: DocumentKeyFn = (doc, index) => (doc.docKey !== undefined ? `key:${doc.docKey}` : `sentence:${index}`);

/**
 * Document key = the id up to its last `separator` (`"doc7:3"` -> `"doc7"`); an id without
 * the separator is its own document.
 */
export function documentKeyFromIdPrefix(separator = ':'): DocumentKeyFn {
  return (doc, index) => {
    const at = doc.id.lastIndexOf(separator);
    return at > 0 ? `prefix:${doc.id.slice(0, at)}` : `sentence:${index}`;
  };
}

/** Runs of consecutive sentences with the same document key, in order. */
export function groupIntoDocuments(docs: readonly Document[], documentKey: DocumentKeyFn = defaultDocumentKey): Document[][] {
  const groups: Document[][] = [];
  let lastKey: string | undefined;
  docs.forEach((doc, i) => {
    const key = documentKey(doc, i);
    if (groups.length > 0 && key === lastKey) groups[groups.length - 1].push(doc);
    else groups.push([doc]);
    lastKey = key;
  });
  return groups;
}
