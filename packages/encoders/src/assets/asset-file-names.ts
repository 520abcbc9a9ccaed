import { TOKENIZER_FILES } from '../bert/wordwise-tokenizer.js';
import { WORD_VECTORS_FILE } from '../bilstm/fixed-word-table.js';
import { VOCABULARY_FILE } from '../vocab/vocabulary-file.js';

/** An encoder as a model's config.json names it. */
export interface EncoderSpec {
  name: string;
  config: object;
}

/**
 * The files `saveAssets` writes for an encoder of this spec, relative to its
 * assets folder: what a browser fetches before building the encoder (it cannot
 * list a folder). Only encoders that run in a browser are known; for any other
 * the error says to load the model in Node.
 */
export function encoderAssetFileNames(spec: EncoderSpec): string[] {
  if (spec.name === 'bilstm-charcnn-encoder.v1') {
    const config = spec.config as { wordEmbedding?: { mode?: string }; contextual?: EncoderSpec | null };
    const names = [VOCABULARY_FILE];
    if (config.wordEmbedding?.mode === 'fixed') names.push(WORD_VECTORS_FILE);
    if (config.contextual) names.push(...encoderAssetFileNames(config.contextual).map((name) => `contextual/${name}`));
    return names;
  }
  // BERT's weights are in the model's weights; its optional tokenizer files (vocab.txt, ...) are
  // copies transformers.js does not read, so a browser fetches only what the encoder needs.
  if (spec.name === 'bert-encoder.v1') return ['config.json', ...TOKENIZER_FILES.required];
  throw new Error(
    `encoder "${spec.name}" cannot be loaded from fetched files (only "bilstm-charcnn-encoder.v1" and "bert-encoder.v1" can, so far); load this model with loadModel(dir) in Node`,
  );
}
