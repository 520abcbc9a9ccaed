/**
 * The key a word is looked up by in a word vocabulary or a vector file:
 * lowercased when `lowercase` is true, otherwise the word itself. Characters are
 * never normalised (the char CNN sees the original casing).
 */
export function normalizeWord(word: string, lowercase: boolean): string {
  return lowercase ? word.toLowerCase() : word;
}
