/**
 * The body of `POST /predict`: its JSON schema (shapes and types, checked by
 * Fastify before the handler runs) and its conversion into the sentences the
 * model predicts (the rules a schema cannot say: exactly one of the two
 * fields, and the limits).
 */
import { splitSentences, type SentenceInput } from '@spanrel/joint';
import type { ServeLimits } from './limits.js';
import { RequestError } from './request-error.js';

/** `{"text": "..."}` (raw text) or `{"sentences": [["word", ...], ...]}` (words); `"scores": true` adds each entity's and relation's score. */
export interface PredictBody {
  text?: string;
  sentences?: string[][];
  scores?: boolean;
}

export const PREDICT_BODY_SCHEMA = {
  type: 'object',
  properties: {
    text: { type: 'string' },
    sentences: { type: 'array', items: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } } },
    scores: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

/**
 * The sentences of a request, numbered from 0 (`id`): the text split into
 * sentences and words as `spanrel predict --text` splits it, or the given
 * words. Throws a {@link RequestError}: 400 when the body gives both fields,
 * neither, or no sentence at all; 413 when it goes over a limit.
 */
export function requestSentences(body: PredictBody, limits: ServeLimits): SentenceInput[] {
  const hasText = body.text !== undefined;
  const hasSentences = body.sentences !== undefined;
  if (hasText === hasSentences) {
    throw new RequestError(400, `body must have exactly one of "text" (raw text) and "sentences" (arrays of words); it has ${hasText ? 'both' : 'neither'}`);
  }
  const words = hasText ? splitSentences(body.text!) : body.sentences!;
  if (words.length === 0) throw new RequestError(400, hasText ? 'body/text holds no sentence (no words)' : 'body/sentences is empty');
  if (words.length > limits.maxSentences) {
    const what = hasText ? 'body/text splits into' : 'body/sentences has';
    throw new RequestError(413, `${what} ${words.length} sentences, more than the limit of ${limits.maxSentences} per request (maxSentences)`, {
      name: 'maxSentences',
      value: words.length,
      max: limits.maxSentences,
    });
  }
  const longest = words.reduce((best, s, i) => (s.length > words[best].length ? i : best), 0);
  if (words[longest].length > limits.maxWordsPerSentence) {
    const where = hasText ? `sentence ${longest} of body/text` : `body/sentences/${longest}`;
    throw new RequestError(413, `${where} has ${words[longest].length} words, more than the limit of ${limits.maxWordsPerSentence} per sentence (maxWordsPerSentence)`, {
      name: 'maxWordsPerSentence',
      value: words[longest].length,
      max: limits.maxWordsPerSentence,
    });
  }
  return words.map((tokens, i) => ({ id: String(i), tokens }));
}
