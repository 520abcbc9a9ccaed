import { cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { BaseModule } from '@spanrel/tensor-core';
import type { Encoder, EncoderOutput, WordBatch } from '../encoder.js';
import { defaultFeatureCacheDir, FeatureCache, featureKey } from './feature-cache.js';
import { inspectModelFolder, ONNX_DTYPE_SUFFIX, type ModelFolderInfo, type OnnxDtype } from './model-folder.js';
import { poolSubwords, SUBWORD_POOLINGS, type SubwordPooling } from './pool-subwords.js';
import { loadTransformerRuntime, type TransformerRuntime } from './transformer-runtime.js';
import { checkWordBatch } from '../vocab/word-batch-checks.js';

/** Config of {@link FrozenTransformerEncoder} (plain JSON). */
export interface FrozenTransformerEncoderConfig {
  /**
   * A local Hugging Face model folder with an ONNX export (`config.json`,
   * `tokenizer.json`, `onnx/model.onnx`), absolute or relative to the working
   * directory. Not needed (and ignored) when `assetsDir` is given: the model is then
   * `<assetsDir>/model`, as written by `saveAssets`.
   */
  model?: string;
  /** Folder written by `saveAssets`. */
  assetsDir?: string;
  /** Sub-word to word pooling. Default `"first"`. */
  pooling?: SubwordPooling;
  /** Which ONNX file: `fp32` = `onnx/model.onnx` (default), `q8` = `onnx/model_quantized.onnx`, ... */
  dtype?: OnnxDtype;
  /**
   * Directory of the on-disk feature cache; `null` keeps features in memory only.
   * Default {@link defaultFeatureCacheDir} (`$SPANREL_FEATURE_CACHE`,
   * else `~/.cache/spanrel/frozen-features`).
   */
  cacheDir?: string | null;
  /** Keep features read or computed in memory too (default true). */
  keepInMemory?: boolean;
  /** Sentences per ONNX run while precomputing. Default 16. */
  batchSize?: number;
  /** Model id in the cache keys. Default: `<folder name>@<digest of the model files>`, so another model never hits. */
  modelId?: string;
  /** Override the state size when config.json has none of `hidden_size` / `d_model` / `dim`. */
  hiddenSize?: number;
}

/** Counters, e.g. to check that a second run never called the model. */
export interface FrozenFeatureStats {
  /** ONNX runs (batches). */
  modelRuns: number;
  /** Sentences whose features were computed. */
  sentencesComputed: number;
  memoryHits: number;
  diskHits: number;
}

/**
 * Word-level features from any transformer that transformers.js loads from a
 * local folder (ONNX), frozen: no gradients, `trainable` always false, no
 * parameters. Sub-words are pooled to words (`first`, `max` or `mean`); `cls` is
 * the state at position 0. Registered as `"frozen-transformer-encoder.v1"`.
 *
 * ONNX inference is asynchronous but `Encoder.encode` is synchronous, so features
 * are computed ahead: `await precompute(batch)` (or `encodeAsync`) runs the model on
 * the sentences not cached yet and caches their pooled features, in memory and on
 * disk, keyed by SHA-256 of (model id, pooling, words). `encode` only reads that
 * cache and throws, naming the sentence, if one was never precomputed. Training
 * over frozen features thus runs the model once per distinct sentence, ever: later
 * epochs and later processes read the cache (see `cacheDir`).
 */
export class FrozenTransformerEncoder extends BaseModule implements Encoder {
  static readonly kind = 'frozen-transformer-encoder.v1';
  readonly name = FrozenTransformerEncoder.kind;
  readonly outputDim: number;
  readonly modelId: string;
  readonly stats: FrozenFeatureStats = { modelRuns: 0, sentencesComputed: 0, memoryHits: 0, diskHits: 0 };
  private readonly settings: Omit<Required<FrozenTransformerEncoderConfig>, 'assetsDir' | 'model' | 'hiddenSize' | 'cacheDir'> & {
    model: string | undefined;
    cacheDir: string | null | undefined;
    hiddenSize: number | undefined;
  };
  private readonly info: ModelFolderInfo;
  private readonly cache: FeatureCache;
  private runtime: Promise<TransformerRuntime> | null = null;

  constructor(config: FrozenTransformerEncoderConfig) {
    super();
    const kind = FrozenTransformerEncoder.kind;
    const pooling = config.pooling ?? 'first';
    if (!SUBWORD_POOLINGS.includes(pooling)) throw new Error(`${kind}: config.pooling must be one of ${SUBWORD_POOLINGS.join(', ')}, got ${JSON.stringify(pooling)}`);
    const dtype = config.dtype ?? 'fp32';
    if (!(dtype in ONNX_DTYPE_SUFFIX)) throw new Error(`${kind}: config.dtype must be one of ${Object.keys(ONNX_DTYPE_SUFFIX).join(', ')}, got ${JSON.stringify(dtype)}`);
    const batchSize = config.batchSize ?? 16;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`${kind}: config.batchSize must be a positive integer, got ${JSON.stringify(batchSize)}`);
    const modelDir = config.assetsDir !== undefined ? join(config.assetsDir, 'model') : config.model;
    if (typeof modelDir !== 'string' || modelDir.length === 0) throw new Error(`${kind}: config.model (a local model folder) or config.assetsDir is required`);
    this.info = inspectModelFolder(resolve(modelDir), dtype, config.hiddenSize);
    this.modelId = config.modelId ?? this.info.fingerprint;
    this.settings = {
      model: config.model,
      pooling,
      dtype,
      cacheDir: config.cacheDir,
      keepInMemory: config.keepInMemory ?? true,
      batchSize,
      modelId: this.modelId,
      hiddenSize: config.hiddenSize,
    };
    this.outputDim = this.info.hiddenSize;
    this.cache = new FeatureCache(config.cacheDir === undefined ? defaultFeatureCacheDir() : config.cacheDir, this.settings.keepInMemory);
  }

  /** Always false: the ONNX weights are never trained. Setting true throws. */
  get trainable(): boolean {
    return false;
  }
  set trainable(value: boolean) {
    if (value) throw new Error(`${this.name}: a frozen transformer cannot be trained (its ONNX weights are not tfjs variables)`);
  }

  /** Directory of the disk cache (null when memory only). */
  get cacheDir(): string | null {
    return this.cache.dir;
  }

  config(): FrozenTransformerEncoderConfig {
    const s = this.settings;
    const out: FrozenTransformerEncoderConfig = { pooling: s.pooling, dtype: s.dtype, keepInMemory: s.keepInMemory, batchSize: s.batchSize, modelId: s.modelId };
    if (s.model !== undefined) out.model = s.model;
    if (s.cacheDir !== undefined) out.cacheDir = s.cacheDir;
    if (s.hiddenSize !== undefined) out.hiddenSize = s.hiddenSize;
    return out;
  }

  /** Whether every sentence of `batch` is cached (so `encode` will not throw). */
  isPrecomputed(batch: WordBatch): boolean {
    return batch.tokens.every((words) => this.cache.has(this.keyOf(words), this.lengthOf(words)));
  }

  /**
   * Runs the model on the sentences of `batch` that are not cached yet (in runs of
   * `batchSize`, sorted by length), pools their sub-words and caches the result.
   * Loads the model on first need only.
   */
  async precompute(batch: WordBatch): Promise<void> {
    checkWordBatch(this.name, batch);
    const missing = new Map<string, readonly string[]>();
    for (const words of batch.tokens) {
      const key = this.keyOf(words);
      if (!missing.has(key) && !this.cache.has(key, this.lengthOf(words))) missing.set(key, words);
    }
    if (missing.size === 0) return;
    const runtime = await this.loadRuntime();
    const todo = [...missing].map(([key, words], i) => ({ key, words, layout: runtime.aligner.align(words, i) }));
    todo.sort((a, b) => a.layout.ids.length - b.layout.ids.length);
    const H = this.outputDim;
    for (let start = 0; start < todo.length; start += this.settings.batchSize) {
      const chunk = todo.slice(start, start + this.settings.batchSize);
      const { states, length } = await runtime.run(chunk.map((c) => c.layout));
      this.stats.modelRuns++;
      for (let i = 0; i < chunk.length; i++) {
        const { key, layout } = chunk[i];
        const sequence = states.subarray(i * length * H, (i + 1) * length * H); // [n, H]
        await this.cache.put(key, poolSubwords(sequence, H, layout.wordStarts, layout.wordEnds, this.settings.pooling));
        this.stats.sentencesComputed++;
      }
    }
  }

  /** `precompute(batch)`, then `encode(batch, training)`. */
  async encodeAsync(batch: WordBatch, training = false): Promise<EncoderOutput> {
    await this.precompute(batch);
    return this.encode(batch, training);
  }

  /**
   * Reads the cached features of `batch` (see the class comment); throws if a
   * sentence was not precomputed. `training` changes nothing (no dropout here).
   */
  encode(batch: WordBatch, _training = false): EncoderOutput {
    checkWordBatch(this.name, batch);
    const B = batch.tokens.length;
    const T = Math.max(...batch.tokens.map((w) => w.length));
    const H = this.outputDim;
    const hidden = new Float32Array(B * T * H);
    const mask = new Float32Array(B * T);
    const cls = new Float32Array(B * H);
    batch.tokens.forEach((words, b) => {
      const found = this.cache.get(this.keyOf(words), this.lengthOf(words));
      if (!found) {
        const preview = words.slice(0, 8).join(' ') + (words.length > 8 ? ' ...' : '');
        throw new Error(
          `${this.name}: sentence ${b} of the batch ("${preview}") has no precomputed features for model ${this.modelId} ` +
            `(pooling ${this.settings.pooling}); call \`await encoder.precompute(batch)\` (or encodeAsync) before encode`,
        );
      }
      if (found.from === 'memory') this.stats.memoryHits++;
      else this.stats.diskHits++;
      cls.set(found.values.subarray(0, H), b * H);
      hidden.set(found.values.subarray(H), b * T * H); // words 0..len-1 of row b
      mask.fill(1, b * T, b * T + words.length);
    });
    return {
      hidden: tf.tensor3d(hidden, [B, T, H]), // [B, T, H]
      mask: tf.tensor2d(mask, [B, T]), // [B, T]
      cls: tf.tensor2d(cls, [B, H]), // [B, H]
    };
  }

  /**
   * Copies the model folder (config, tokenizer files, the ONNX file of `dtype`) to
   * `<dir>/model`, so `{...config(), assetsDir: dir}` rebuilds this encoder without
   * the original folder. The feature cache is not copied.
   */
  async saveAssets(dir: string): Promise<void> {
    const target = join(dir, 'model');
    await mkdir(target, { recursive: true });
    const onnxDir = join(this.info.dir, 'onnx');
    const keep = this.info.onnxFile;
    await cp(this.info.dir, target, {
      recursive: true,
      filter: (source) => !source.startsWith(onnxDir + '/') || source === keep || source.startsWith(`${keep}_data`),
    });
  }

  /** Frees the ONNX session (the caches stay usable; a later `precompute` reloads the model). */
  async unloadModel(): Promise<void> {
    const runtime = this.runtime;
    this.runtime = null;
    if (runtime) await (await runtime).dispose();
  }

  /** Whether the ONNX model is loaded (it is loaded only when a sentence must be computed). */
  get modelLoaded(): boolean {
    return this.runtime !== null;
  }

  /** Forgets the in-memory features (the disk cache stays). */
  clearMemoryCache(): void {
    this.cache.clearMemory();
  }

  private loadRuntime(): Promise<TransformerRuntime> {
    if (!this.runtime) {
      this.runtime = loadTransformerRuntime(this.info, this.settings.dtype);
      this.runtime.catch(() => (this.runtime = null));
    }
    return this.runtime;
  }

  private keyOf(words: readonly string[]): string {
    return featureKey(this.modelId, this.settings.pooling, words);
  }

  /** Values cached per sentence: `[T + 1, H]` (row 0 = cls). */
  private lengthOf(words: readonly string[]): number {
    return (words.length + 1) * this.outputDim;
  }
}
