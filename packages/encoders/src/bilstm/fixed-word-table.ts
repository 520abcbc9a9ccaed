import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors, fileAccess, joinPath } from '@spanrel/tensor-core';
import type { Vocabularies } from '../vocab/build-vocabulary.js';
import type { WordVectors } from '../vocab/word-vectors.js';

/** File name of the fixed word vectors inside an assets directory: one tensor `vectors` `[V, E]`, rows as in vocabulary.json. */
export const WORD_VECTORS_FILE = 'word-vectors.safetensors';

/**
 * The `[V, E]` table of a word vocabulary: row i is the vector of word i; the
 * `<pad>` and `<unk>` rows, and any word without a vector, are 0.
 */
export function fixedWordTable(vocabulary: Vocabularies, vectors: WordVectors): tf.Tensor2D {
  if (vectors.lowercase !== vocabulary.lowercase) {
    throw new Error(`fixed word vectors: the vocabulary has lowercase ${vocabulary.lowercase} but the vectors were read with lowercase ${vectors.lowercase}`);
  }
  const { tokens } = vocabulary.words;
  const E = vectors.dim;
  const table = new Float32Array(tokens.length * E);
  tokens.forEach((word, i) => {
    const v = i >= 2 ? vectors.get(word) : undefined;
    if (v) table.set(v, i * E);
  });
  return tf.tensor2d(table, [tokens.length, E]); // [V, E]
}

/** Reads `<dir>/word-vectors.safetensors` and checks it has `rows` rows. */
export function loadWordTableSync(dir: string, rows: number): tf.Tensor2D {
  const file = joinPath(dir, WORD_VECTORS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = fileAccess.readFile(file);
  } catch (e) {
    throw new Error(`${file}: cannot read the fixed word vectors (${(e as Error).message})`);
  }
  return decodeWordTable(bytes, rows, file);
}

/** The `[rows, E]` table of a `word-vectors.safetensors` file's bytes; errors name `file`. */
export function decodeWordTable(bytes: Uint8Array, rows: number, file: string): tf.Tensor2D {
  const { tensors } = decodeSafetensors(bytes, { source: file });
  const table = tensors.get('vectors');
  for (const [name, t] of tensors) if (name !== 'vectors') t.dispose();
  if (!table || table.rank !== 2 || table.shape[0] !== rows || table.dtype !== 'float32') {
    table?.dispose();
    throw new Error(`${file}: expected a float32 tensor "vectors" of shape [${rows}, E] (one row per vocabulary word), got ${table ? `[${table.shape}] ${table.dtype}` : 'none'}`);
  }
  return table as tf.Tensor2D;
}
