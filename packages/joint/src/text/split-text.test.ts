import { describe, expect, it } from 'vitest';
import { splitSentences, tokenizeWords } from './split-text.js';

describe('tokenizeWords', () => {
  it('splits punctuation and clitics off words, keeping abbreviations, numbers and hyphens', () => {
    expect(tokenizeWords('Mr. O\'Neil\'s co-founder (Ada) paid $3.50, didn\'t he?')).toEqual([
      'Mr.', "O'Neil", "'s", 'co-founder', '(', 'Ada', ')', 'paid', '$', '3.50', ',', 'did', "n't", 'he', '?',
    ]);
    expect(tokenizeWords('the U.S. "Wait..." e.g. J. Smith')).toEqual(['the', 'U.S.', '"', 'Wait', '...', '"', 'e.g.', 'J.', 'Smith']);
  });
});

describe('splitSentences', () => {
  it('cuts after sentence-final punctuation before a word that is not lowercase', () => {
    expect(splitSentences('Ada Brandt works for Kestrel Labs. She lives in Oslo! Does she? Yes.')).toEqual([
      ['Ada', 'Brandt', 'works', 'for', 'Kestrel', 'Labs', '.'],
      ['She', 'lives', 'in', 'Oslo', '!'],
      ['Does', 'she', '?'],
      ['Yes', '.'],
    ]);
  });

  it('keeps abbreviations, closing quotes and lowercase continuations in the sentence', () => {
    expect(splitSentences('Dr. Novak met Mr. Costa. "It rained." she said, "really?" they asked.')).toEqual([
      ['Dr.', 'Novak', 'met', 'Mr.', 'Costa', '.'],
      ['"', 'It', 'rained', '.', '"', 'she', 'said', ',', '"', 'really', '?', '"', 'they', 'asked', '.'],
    ]);
  });

  it('cuts at blank lines and keeps a last sentence without a period', () => {
    expect(splitSentences('First line\nstill first\n\n  Second  ')).toEqual([['First', 'line', 'still', 'first'], ['Second']]);
    expect(splitSentences('   ')).toEqual([]);
  });
});
