/**
 * Raw text to sentences of words, for predicting on text that is not
 * tokenized yet. A small rule-based splitter in the style of the corpora the
 * models are trained on (CoNLL04 / SpERT JSON, Penn Treebank-like): punctuation
 * is split from words, clitics (`'s`, `n't`, ...) are their own tokens,
 * abbreviations (`Mr.`, `U.S.`, initials) keep their period, and a sentence ends
 * at `.`, `!`, `?` or `...` (with any closing quotes or brackets right after
 * it) before a word that is not lowercase, or at a blank line.
 */

const LEADING = new Set(['(', '[', '{', '"', "'", '“', '‘', '`', '$', '«', '¿', '¡']);
const TRAILING = new Set([')', ']', '}', '"', "'", '”', '’', ',', ';', ':', '!', '?', '.', '%', '»']);
const CLOSING = new Set([')', ']', '}', '"', "'", '”', '’', '»']);
const TERMINAL = new Set(['.', '!', '?', '...', '…']);
const CLITIC = /^(.+?)(n't|n’t|'s|’s|'re|’re|'ve|’ve|'ll|’ll|'d|’d|'m|’m)$/i;

/** Common English abbreviations that end with a period which does not end the sentence. */
const ABBREVIATIONS = new Set(
  [
    'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ft', 'inc', 'ltd', 'co', 'corp', 'bros', 'vs', 'etc', 'no', 'vol',
    'gen', 'gov', 'sen', 'rep', 'col', 'lt', 'sgt', 'capt', 'cmdr', 'adm', 'rev', 'hon', 'pres', 'supt', 'dept', 'univ', 'assn',
    'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'ave', 'blvd', 'rd', 'approx', 'fig', 'al',
  ].map((a) => `${a}.`),
);

/** Whether a word ending with `.` is an abbreviation (listed, an initial like `J.`, or dotted letters like `U.S.` / `e.g.`). */
function isAbbreviation(word: string): boolean {
  return ABBREVIATIONS.has(word.toLowerCase()) || /^(\p{L}\.)+\p{L}?\.?$/u.test(word);
}

/** A token, and whether it was split off the front of a word (an opening quote or bracket). */
interface Piece {
  text: string;
  opening: boolean;
}

/** Splits one whitespace-free chunk into tokens (leading / trailing punctuation, clitics). */
function splitChunk(chunk: string): Piece[] {
  const before: string[] = [];
  const after: string[] = [];
  let core = chunk;
  while (core.length > 1 && LEADING.has(core[0])) {
    before.push(core[0]);
    core = core.slice(1);
  }
  while (core.length > 1) {
    if (core.endsWith('...') && core.length > 3) {
      after.unshift('...');
      core = core.slice(0, -3);
      continue;
    }
    const last = core[core.length - 1];
    if (last === '.' && isAbbreviation(core)) break;
    if (!TRAILING.has(last)) break;
    after.unshift(last);
    core = core.slice(0, -1);
  }
  const clitic = CLITIC.exec(core);
  const middle = clitic ? [clitic[1], clitic[2]] : [core];
  return [...before.map((text) => ({ text, opening: true })), ...[...middle, ...after].filter((t) => t.length > 0).map((text) => ({ text, opening: false }))];
}

function pieces(text: string): Piece[] {
  return text.split(/\s+/u).filter((chunk) => chunk.length > 0).flatMap(splitChunk);
}

/** The words of a piece of text (no sentence splitting). */
export function tokenizeWords(text: string): string[] {
  return pieces(text).map((p) => p.text);
}

/**
 * Sentences of words: the text is tokenized (see {@link tokenizeWords}), then cut
 * after every `.`, `!`, `?`, `...` token (closing quotes and brackets that
 * follow stay with it) unless a lowercase word follows, and at blank lines.
 *
 * ```ts
 * splitSentences('Mr. Smith works for Acme Inc. in the U.S. He lives in Oslo.');
 * // [['Mr.', 'Smith', 'works', 'for', 'Acme', 'Inc.', 'in', 'the', 'U.S.', 'He', 'lives', 'in', 'Oslo', '.']]
 * splitSentences('It rained. "Really?" she asked.');
 * // [['It', 'rained', '.'], ['"', 'Really', '?', '"', 'she', 'asked', '.']]
 * ```
 */
export function splitSentences(text: string): string[][] {
  const sentences: string[][] = [];
  for (const paragraph of text.split(/\n[ \t\r\f\v]*\n/u)) {
    const tokens = pieces(paragraph);
    let current: string[] = [];
    for (let i = 0; i < tokens.length; i++) {
      current.push(tokens[i].text);
      if (!TERMINAL.has(tokens[i].text)) continue;
      while (i + 1 < tokens.length && !tokens[i + 1].opening && CLOSING.has(tokens[i + 1].text)) current.push(tokens[++i].text);
      if (i + 1 < tokens.length && /^\p{Ll}/u.test(tokens[i + 1].text)) continue; // `"Really?" she asked.` goes on
      sentences.push(current);
      current = [];
    }
    if (current.length > 0) sentences.push(current);
  }
  return sentences;
}
