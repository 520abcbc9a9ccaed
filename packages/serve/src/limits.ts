/** How much one request may ask for; beyond these the server answers 413 and says which limit. */
export interface ServeLimits {
  /** Largest request body, in bytes (default 1 MiB). */
  bodyLimitBytes: number;
  /** Most sentences in one request, given or split from the text (default 256). */
  maxSentences: number;
  /** Most words in one sentence (default 200): span and pair work grow with it. */
  maxWordsPerSentence: number;
}

export const DEFAULT_LIMITS: ServeLimits = { bodyLimitBytes: 1024 * 1024, maxSentences: 256, maxWordsPerSentence: 200 };

/** Throws unless every limit is a positive integer, naming the one that is not. */
export function checkLimits(limits: ServeLimits): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`serve: ${name} must be a positive integer, got ${String(value)}`);
  }
}
