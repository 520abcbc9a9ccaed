import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, batchedIndexSelect, decodeSafetensors, disposeNamedTensors, fileAccess, joinPath as join, spanMaxPool } from '@spanrel/tensor-core';
import { readAsset, type AssetFiles } from '../assets/encoder-assets.js';
import type { Encoder, EncoderOutput, WordBatch } from '../encoder.js';
import { checkWordBatch } from '../vocab/word-batch-checks.js';
import { BertModel } from './bert-model.js';
import { readBertArchitecture, type BertArchitecture } from './hf-config.js';
import { loadHfWeights } from './hf-weights.js';
import { cachedModelFolder, defaultCacheDir, downloadModelFiles, findModelFolder, isHubModelId, type DownloadOptions } from './model-files.js';
import { buildBertInputs, type BertInputs } from './bert-inputs.js';
import { WordwiseTokenizer } from './wordwise-tokenizer.js';
import { loadTransformers } from '../transformers-module.js';
import { onnxInferenceThreads } from '../onnx/onnx-inference-switch.js';
import { OnnxRunnerSlot } from '../onnx/onnx-runner-slot.js';
import { OnnxBertRunner } from './onnx-bert-runner.js';

/** How sub-word states become one state per word. */
export type BertPooling = 'max' | 'first';

/** Plain-JSON config of {@link BertEncoder} (registry name `"bert-encoder.v1"`). */
export interface BertEncoderConfig {
  /**
   * A local Hugging Face model folder (`config.json`, `model.safetensors`,
   * `tokenizer.json`, `tokenizer_config.json`) or a hub id such as
   * `bert-base-cased`; a hub id must have been downloaded first (see
   * {@link BertEncoder.fromPretrained}) when the encoder is built synchronously.
   */
  model: string;
  /** Hub revision. Default `"main"`. */
  revision?: string;
  /** Download cache of hub ids; null = {@link defaultCacheDir}. Default null. */
  cacheDir?: string | null;
  /** `"max"` (default: max-pool over each word's sub-words, as SpERT / STSN / two-phase) or `"first"` (first sub-word). */
  pooling?: BertPooling;
  /** Dropout after embeddings and sub-layers; null = `hidden_dropout_prob` of config.json. Default null. */
  hiddenDropout?: number | null;
  /** Dropout on attention weights; null = `attention_probs_dropout_prob` of config.json. Default null. */
  attentionDropout?: number | null;
  /** False freezes the encoder (its variables are not trainable). Default true. */
  trainable?: boolean;
  /** Seed of the dropout noise. Default 0. */
  seed?: number;
  /**
   * Set when rebuilding a saved model: the folder `saveAssets` wrote. Config and
   * tokenizer are read from it, and the weights are NOT read (they keep BERT's
   * initialisation until the model checkpoint is assigned to `parameters()`).
   */
  assetsDir?: string;
  /** The files of `assetsDir`, already read (a browser fetched them; see `encoderAssetFileNames`): then nothing is read from disk. */
  assetFiles?: AssetFiles;
}

/** The resolved config `config()` returns (no `assetsDir`: `saveAssets` callers add it). */
export type ResolvedBertEncoderConfig = Required<Omit<BertEncoderConfig, 'assetsDir' | 'assetFiles' | 'hiddenDropout' | 'attentionDropout' | 'cacheDir'>> & {
  hiddenDropout: number;
  attentionDropout: number;
  cacheDir: string | null;
};

function checkRate(field: string, value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new Error(`bert-encoder.v1: config.${field} must be null or a number in [0, 1), got ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A fine-tunable BERT-family encoder (BERT, SciBERT and other `model_type: "bert"`
 * checkpoints, ALBERT) in TensorFlow.js, with weights read from a Hugging Face
 * checkpoint and the tokenizer run by transformers.js.
 *
 * Each word is tokenized on its own into sub-words; the sentence is
 * `[CLS] sub-words [SEP]`, sentences are padded to the longest one; the
 * last-layer states are pooled to words (max over a word's sub-words, or its
 * first sub-word) and the `[CLS]` state is the sentence vector. A word the
 * tokenizer turns into nothing becomes `[UNK]`. A sentence longer than the
 * model's positions is an error naming it (no silent truncation).
 *
 * ```ts
 * const encoder = await BertEncoder.fromPretrained('bert-base-cased'); // downloads once, then offline
 * const { hidden, mask, cls } = encoder.encode({ tokens: [['John', 'lives', 'in', 'Paris', '.']] }, false);
 * // hidden [1, 5, 768], mask [1, 5], cls [1, 768]
 * ```
 *
 * Parameters: `bert.embeddings.*`, `bert.layers.<k>.*` (see `hfTensorNames`).
 * Registered as `"bert-encoder.v1"`.
 */
export class BertEncoder extends BaseModule implements Encoder {
  static readonly kind = 'bert-encoder.v1';
  readonly name = BertEncoder.kind;
  readonly outputDim: number;
  readonly arch: BertArchitecture;
  readonly bert: BertModel;
  readonly tokenizer: WordwiseTokenizer;
  /** The folder config and tokenizer were read from. */
  readonly folder: string;
  private readonly settings: ResolvedBertEncoderConfig;
  private readonly configText: string;
  private isTrainable: boolean;
  /** The ONNX copy of `bert` for inference, made on first use (see {@link BertEncoder.inferencePath}). */
  /** The inference path on onnxruntime-node (made on first use). */
  private readonly onnx = new OnnxRunnerSlot((runtime) => new OnnxBertRunner(this.bert, runtime));

  /**
   * Builds the encoder synchronously from a local folder, the download cache, or
   * `config.assetsDir`. Use {@link BertEncoder.fromPretrained} to download a hub model first.
   */
  constructor(config: BertEncoderConfig) {
    super();
    const kind = BertEncoder.kind;
    if (typeof config?.model !== 'string' || config.model.length === 0) {
      throw new Error(`${kind}: config.model must be a model folder or a Hugging Face model id, got ${JSON.stringify(config?.model)}`);
    }
    const pooling = config.pooling ?? 'max';
    if (pooling !== 'max' && pooling !== 'first') throw new Error(`${kind}: config.pooling must be "max" or "first", got ${JSON.stringify(pooling)}`);
    const seed = config.seed ?? 0;
    if (!Number.isInteger(seed)) throw new Error(`${kind}: config.seed must be an integer, got ${JSON.stringify(seed)}`);
    const revision = config.revision ?? 'main';
    const cacheDir = config.cacheDir ?? null;

    const folder = config.assetsDir ?? findModelFolder({ model: config.model, revision, cacheDir });
    if (!folder || (!config.assetFiles && !fileAccess.exists(folder))) {
      const where = config.assetsDir
        ? `the assets folder ${config.assetsDir} does not exist`
        : isHubModelId(config.model)
          ? `"${config.model}" is not a local folder and is not downloaded to ${cachedModelFolder(config.model, revision, cacheDir ?? defaultCacheDir())}; ` +
            `download it first with "await BertEncoder.fromPretrained(${JSON.stringify(config.model)})"`
          : `"${config.model}" is neither a local folder nor a Hugging Face model id`;
      throw new Error(`${kind}: ${where}`);
    }
    this.folder = folder;
    const assets = { assetsDir: folder, assetFiles: config.assetFiles };
    const configPath = join(folder, 'config.json');
    if (!config.assetFiles && !fileAccess.exists(configPath)) throw new Error(`${kind}: ${configPath} not found`);
    this.configText = new TextDecoder().decode(readAsset(assets, 'config.json'));
    let configJson: unknown;
    try {
      configJson = JSON.parse(this.configText);
    } catch (e) {
      throw new Error(`${kind}: ${configPath} is not valid JSON (${(e as Error).message})`);
    }
    this.arch = readBertArchitecture(configJson, configPath);
    this.settings = {
      model: config.model,
      revision,
      cacheDir,
      pooling,
      hiddenDropout: checkRate('hiddenDropout', config.hiddenDropout) ?? this.arch.hiddenDropout,
      attentionDropout: checkRate('attentionDropout', config.attentionDropout) ?? this.arch.attentionDropout,
      trainable: config.trainable ?? true,
      seed,
    };
    this.tokenizer = WordwiseTokenizer.fromAssets(assets);
    this.bert = this.addChild('bert', new BertModel(this.arch, { hidden: this.settings.hiddenDropout, attention: this.settings.attentionDropout }, seed));
    this.outputDim = this.arch.hiddenSize;
    if (!config.assetsDir) this.loadWeights(join(folder, 'model.safetensors'));
    this.isTrainable = true;
    this.trainable = this.settings.trainable;
  }

  /**
   * Builds an encoder from a local folder or a Hugging Face hub id, downloading
   * the hub files into the cache first when they are not there yet (then later
   * builds, including through the registry, need no network).
   */
  static async fromPretrained(
    model: string,
    options: Omit<BertEncoderConfig, 'model' | 'assetsDir'> & Pick<DownloadOptions, 'remoteHost' | 'token'> = {},
  ): Promise<BertEncoder> {
    const { remoteHost, token, ...config } = options;
    await loadTransformers(BertEncoder.kind); // before any download: a missing transformers.js is reported first
    await downloadModelFiles({ model, revision: config.revision, cacheDir: config.cacheDir, remoteHost, token });
    return new BertEncoder({ ...config, model });
  }

  private loadWeights(path: string): void {
    if (!fileAccess.exists(path)) {
      const bin = fileAccess.exists(join(this.folder, 'pytorch_model.bin')) ? ' (the folder has pytorch_model.bin only)' : '';
      throw new Error(
        `bert-encoder: ${path} not found${bin}; convert the checkpoint once in Python: ` +
          `AutoModel.from_pretrained(path).save_pretrained(path) writes model.safetensors`,
      );
    }
    const { tensors } = decodeSafetensors(fileAccess.readFile(path), { source: path });
    try {
      loadHfWeights(this.bert, tensors, path);
    } finally {
      disposeNamedTensors(tensors);
    }
  }

  config(): ResolvedBertEncoderConfig {
    return { ...this.settings, trainable: this.isTrainable };
  }

  get trainable(): boolean {
    return this.isTrainable;
  }

  /** False marks every variable `trainable = false` (optimizers skip them; `tf.variableGrads` without a list ignores them). */
  set trainable(value: boolean) {
    this.isTrainable = value;
    for (const v of this.parameters().values()) v.trainable = value;
  }

  /**
   * The sub-word layout of a batch (ids, padding, word -> sub-word ranges), as
   * `encode` uses it. Throws on an empty batch, an empty sentence or a word that
   * is not a non-empty string (naming it), and on a sentence longer than the model's positions.
   */
  tokenize(batch: WordBatch): BertInputs {
    checkWordBatch(this.name, batch);
    return buildBertInputs(batch.tokens, (word) => this.tokenizer.wordIds(word), {
      prefixIds: this.tokenizer.prefixIds,
      suffixIds: this.tokenizer.suffixIds,
      padId: this.tokenizer.padId,
      maxPositions: this.arch.maxPositions,
    });
  }

  /**
   * @returns `hidden [B, T, D]` (0 rows at padding words), `mask [B, T]`,
   *   `cls [B, D]` (the last-layer state at position 0: `[CLS]`).
   */
  encode(batch: WordBatch, training: boolean): EncoderOutput {
    const sub = this.tokenize(batch);
    const { batchSize: B, length: N, numWords: T, maxPieces: K } = sub;
    const D = this.outputDim;
    return tf.tidy(() => {
      const runner = training ? null : this.onnx.current();
      const states = runner
        ? runner.run(sub.inputIds, sub.attentionMask, B, N, onnxInferenceThreads()) // [B, N, D] the same forward on onnxruntime-node
        : this.bert.apply(
            tf.tensor2d(sub.inputIds, [B, N], 'int32'), // [B, N]
            tf.tensor2d(sub.attentionMask, [B, N], 'float32'), // [B, N]
            training,
          ); // [B, N, D]
      const cls = tf.reshape(tf.slice(states, [0, 0, 0], [B, 1, D]), [B, D]) as tf.Tensor2D; // [B, D]
      const mask = tf.tensor2d(sub.wordMask, [B, T], 'float32'); // [B, T]
      let hidden: tf.Tensor3D;
      if (this.settings.pooling === 'max') {
        // Each word's sub-words are one contiguous range: pooled in place (no [B, T, K, D] gather).
        const pieceRanges = tf.tensor3d(sub.pieceRanges, [B, T, 2], 'int32'); // [B, T, 2]
        hidden = spanMaxPool(states as tf.Tensor3D, pieceRanges, K); // [B, T, D] padding words -> 0
      } else {
        const firstIndex = tf.tensor2d(sub.firstIndex, [B, T], 'int32'); // [B, T]
        const first = batchedIndexSelect(states, firstIndex); // [B, T, D]
        hidden = tf.mul(first, tf.expandDims(mask, -1)) as tf.Tensor3D; // [B, T, D] padding words -> 0
      }
      return { hidden, mask, cls };
    });
  }

  /**
   * What `encode(batch, false)` runs on now: `"onnxruntime"` (onnxruntime-node is
   * loadable, `setOnnxInference` and tensor-core's `setFusedKernels` are on) or `"tfjs"`.
   */
  inferencePath(): 'onnxruntime' | 'tfjs' {
    return this.onnx.path();
  }

  /**
   * Builds the ONNX session of the current weights now, if inference runs on
   * onnxruntime-node and the session is missing or stale; else does nothing.
   * `encode(batch, false)` does the same by itself: this only moves the cost
   * (reading every weight, a graph optimisation) out of a timed region.
   */
  prepareInference(): void {
    this.onnx.prepare();
  }

  /**
   * Drops the ONNX session so the next inference rebuilds it. Needed only after
   * writing weights in a way that keeps their data ids without telling
   * tensor-core (`noteInPlaceParameterWrite`): `assign`, the optimizers and
   * `assignParameters` are seen by themselves.
   */
  invalidateInference(): void {
    this.onnx.invalidate();
  }

  /** How many ONNX sessions this encoder has built (0 on the tfjs path). */
  get onnxSessionBuilds(): number {
    return this.onnx.builds;
  }

  /** Disposes the weights and releases the ONNX session. */
  dispose(): void {
    this.onnx.release();
    super.dispose();
  }

  /**
   * Writes `config.json` and the tokenizer files (as read) into `dir`, so
   * `registry.build("bert-encoder.v1", {...encoder.config(), assetsDir: dir})`
   * rebuilds the encoder with no network. The weights are not written: they are
   * part of the model checkpoint (`parameters()`).
   */
  async saveAssets(dir: string): Promise<void> {
    await fileAccess.makeDirectory(dir);
    await fileAccess.writeFile(join(dir, 'config.json'), this.configText);
    for (const [name, text] of this.tokenizer.files) await fileAccess.writeFile(join(dir, name), text);
  }
}
