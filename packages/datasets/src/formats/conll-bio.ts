/**
 * CoNLL-style BIO: one token per line, the token in the first column and its tag in the
 * last (columns split on tabs, or on spaces when a line has no tab), a blank line between
 * sentences, `-DOCSTART-` lines starting a new document. Entities only (no relations).
 * Reads IOB1 and IOB2 (and extended BIO `B-A/B-B` tags, see `bio-tags.ts`); writes IOB2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { decodeBioTags, entitiesToBioTags, entitiesToExtendedBioTags } from '../bio-tags.js';
import { DatasetError, reportWarnings, throwIfAny, type DatasetWarning } from '../errors.js';
import type { Document } from '../types.js';
import { mergeDocumentDuplicates, type DocumentFieldNames } from '../validate.js';
import type { ReadOptions } from './read-options.js';

export interface ConllReadOptions extends ReadOptions {
  /** 0-based column of the tag; negative counts from the end (default -1, the last column). */
  tagColumn?: number;
}

/**
 * Parses CoNLL BIO text into one document per sentence (id = sentence index in the file).
 * When the file has `-DOCSTART-` lines, sentences get `docKey` = the 0-based number of
 * their document and `sentenceIndex` within it. Errors name the line (of the tag, or the
 * sentence's first line for checks of whole entities) and the sentence.
 */
export function parseConllBio(text: string, source = '<conll>', options: ConllReadOptions = {}): Document[] {
  const tagColumn = options.tagColumn ?? -1;
  const errors: DatasetError[] = [];
  const warnings: DatasetWarning[] = [];
  const docs: Document[] = [];
  let tokens: string[] = [];
  let tags: string[] = [];
  let tagLines: number[] = [];
  let docNumber = -1; // -DOCSTART- blocks seen
  let sentenceInDoc = 0;

  const flush = () => {
    if (tokens.length === 0) return;
    const docIndex = docs.length;
    const id = String(docIndex);
    const { entities, problems } = decodeBioTags(tags, true);
    for (const p of problems) {
      errors.push(new DatasetError({ file: source, line: tagLines[p.index], docIndex, docId: id, field: `tags[${p.index}]` }, p.problem));
    }
    const doc: Document = { id, tokens, entities, relations: [] };
    if (docNumber >= 0) {
      doc.docKey = String(docNumber);
      doc.sentenceIndex = sentenceInDoc++;
    }
    const names: DocumentFieldNames = {
      tokens: 'tokens',
      entity: (i, prop) => (prop === 'type' ? `type of tags[${entities[i].start}]` : `tags[${entities[i].start}]`),
      relation: (k) => `relations[${k}]`,
    };
    const merged = mergeDocumentDuplicates(doc, docIndex, { ...options, file: source }, names, { line: tagLines[0] });
    errors.push(...merged.errors);
    warnings.push(...merged.warnings);
    docs.push(merged.doc);
    tokens = [];
    tags = [];
    tagLines = [];
  };

  text.split('\n').forEach((rawLine, lineIndex) => {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const lineNo = lineIndex + 1;
    if (line.trim() === '') return flush();
    const columns = line.includes('\t') ? line.split('\t') : line.trim().split(/ +/);
    if (columns[0] === '-DOCSTART-' || columns[0].startsWith('-DOCSTART-')) {
      flush();
      docNumber++;
      sentenceInDoc = 0;
      return;
    }
    const tagIndex = tagColumn < 0 ? columns.length + tagColumn : tagColumn;
    if (columns.length < 2 || tagIndex <= 0 || tagIndex >= columns.length) {
      errors.push(
        new DatasetError(
          { file: source, line: lineNo, docIndex: docs.length, docId: String(docs.length), field: `tags[${tokens.length}]` },
          `expected a token and a tag in column ${tagColumn} (got ${columns.length} column${columns.length === 1 ? '' : 's'}: ${JSON.stringify(line)})`,
        ),
      );
      return;
    }
    tokens.push(columns[0]);
    tags.push(columns[tagIndex].trim());
    tagLines.push(lineNo);
  });
  flush();
  throwIfAny(errors);
  reportWarnings(warnings, options.onWarnings);
  return docs;
}

/** Reads a CoNLL BIO file (see `parseConllBio`). */
export function readConllBio(path: string, options: ConllReadOptions = {}): Document[] {
  return parseConllBio(readFileSync(path, 'utf8'), path, options);
}

export interface ConllWriteOptions {
  /** Write extended BIO (`B-A/B-B`) so overlapping entities survive; default false (plain IOB2, overlap is an error). */
  extended?: boolean;
}

/**
 * CoNLL BIO text: `token<TAB>tag` lines, a blank line after each sentence, and a
 * `-DOCSTART-` line (followed by a blank line) before each new `docKey` when documents
 * have one. Relations are not part of the format and are not written. Throws a
 * `DatasetError` for a token that is empty or contains whitespace, or for overlapping
 * entities in plain mode.
 */
export function formatConllBio(docs: readonly Document[], options: ConllWriteOptions = {}): string {
  const out: string[] = [];
  let lastDocKey: string | undefined;
  docs.forEach((doc, docIndex) => {
    if (doc.docKey !== undefined && (docIndex === 0 || doc.docKey !== lastDocKey)) out.push('-DOCSTART-\tO\n\n');
    lastDocKey = doc.docKey;
    let tags: string[];
    try {
      tags = options.extended ? entitiesToExtendedBioTags(doc.tokens.length, doc.entities) : entitiesToBioTags(doc.tokens.length, doc.entities);
    } catch (err) {
      if (err instanceof DatasetError) throw new DatasetError({ ...err.location, docIndex, docId: doc.id }, err.problem);
      throw err;
    }
    doc.tokens.forEach((token, i) => {
      if (token === '' || /\s/.test(token)) {
        throw new DatasetError({ docIndex, docId: doc.id, field: `tokens[${i}]` }, `tokens[${i}] = ${JSON.stringify(token)} cannot be written to CoNLL (empty or contains whitespace)`);
      }
      out.push(`${token}\t${tags[i]}\n`);
    });
    out.push('\n');
  });
  return out.join('');
}

/** Writes a CoNLL BIO file (see `formatConllBio`). */
export function writeConllBio(path: string, docs: readonly Document[], options: ConllWriteOptions = {}): void {
  writeFileSync(path, formatConllBio(docs, options), 'utf8');
}
