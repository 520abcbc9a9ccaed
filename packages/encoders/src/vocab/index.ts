export { PAD_INDEX, PAD_TOKEN, UNK_INDEX, UNK_TOKEN, Vocabulary } from './vocabulary.js';
export { normalizeWord } from './normalize-word.js';
export { buildVocabulary, type BuildVocabularyOptions, type SentenceInput, type Vocabularies } from './build-vocabulary.js';
export { formatVocabularies, loadVocabulariesSync, parseVocabularies, saveVocabularies, VOCABULARY_FILE } from './vocabulary-file.js';
export { WordVectors } from './word-vectors.js';
export { parseWordVectorsText, readWordVectorsFile, type ReadWordVectorsOptions } from './read-word-vectors.js';
export { loadWinkEmbeddings, winkJsonToWordVectors, WINK_EMBEDDINGS_PACKAGE, type LoadWinkEmbeddingsOptions } from './wink-embeddings.js';
export { loadWordVectors, NPM_SOURCE_PREFIX } from './load-word-vectors.js';
export { checkWordBatch } from './word-batch-checks.js';
