import type { Document } from '@spanrel/datasets';

/** FNV-1a over a string's UTF-16 code units, as an unsigned 32-bit number. */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  let h = hash >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A seed derived from several integers (run seed, epoch, batch position), so
 * each batch's random draws depend only on where it is in the run: a resumed run
 * draws exactly what an uninterrupted one does, with no generator state to save.
 * Never 0.
 */
export function mixSeed(...parts: number[]): number {
  const h = fnv1a(parts.join(':'));
  return h === 0 ? 1 : h;
}

/**
 * A short fingerprint of documents' words and annotations, to tell a resumed run
 * that its training data changed.
 */
export function documentsFingerprint(docs: readonly Document[]): string {
  let h = 0x811c9dc5;
  for (const d of docs) h = fnv1a(JSON.stringify([d.tokens, d.entities, d.relations]), h);
  return `${docs.length}:${h.toString(16).padStart(8, '0')}`;
}
