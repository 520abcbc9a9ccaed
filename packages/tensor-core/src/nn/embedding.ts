import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';
import { BaseModule } from '../module/module.js';
import { checkNumber, checkPositiveInt, checkSeed } from './config-checks.js';
import { initializerFromName, type InitializerName } from './initializer-name.js';

/** Config of {@link Embedding}. */
export interface EmbeddingConfig {
  /** Number of rows (vocabulary size, number of widths, ...). */
  numEmbeddings: number;
  /** Size of each vector. */
  dim: number;
  /** Row whose lookup is always the 0 vector and receives no gradient. Default null (none). */
  paddingIndex?: number | null;
  /** False freezes the matrix (e.g. fixed GloVe vectors). Default true. */
  trainable?: boolean;
  /** Default `"normal"`. */
  init?: InitializerName;
  /** Std of the `"normal"` initialiser. Default 0.02. */
  initStd?: number;
  /** Default 0. */
  seed?: number;
}

/**
 * A lookup table `[numEmbeddings, dim]` (word vectors, span-width embeddings,
 * distance embeddings). Registered as `"embedding.v1"`.
 *
 * A pretrained matrix is not part of the config (configs are plain JSON): build
 * with {@link Embedding.fromPretrained} or load the weights afterwards; the
 * config then rebuilds a same-shaped table that a checkpoint fills.
 */
export class Embedding extends BaseModule {
  static readonly kind = 'embedding.v1';
  readonly name = Embedding.kind;
  /** `numEmbeddings`: the lookup is a linear map from a one-hot vector of this size. */
  readonly inputDim: number;
  readonly outputDim: number;
  readonly weight: tf.Variable; // [numEmbeddings, dim]
  private readonly settings: Required<EmbeddingConfig>;

  constructor(config: EmbeddingConfig) {
    super();
    const kind = Embedding.kind;
    const numEmbeddings = checkPositiveInt(kind, 'numEmbeddings', config.numEmbeddings);
    const paddingIndex = config.paddingIndex ?? null;
    if (paddingIndex !== null && (!Number.isInteger(paddingIndex) || paddingIndex < 0 || paddingIndex >= numEmbeddings)) {
      throw new Error(`${kind}: config.paddingIndex must be null or an integer in [0, ${numEmbeddings}), got ${JSON.stringify(paddingIndex)}`);
    }
    this.settings = {
      numEmbeddings,
      dim: checkPositiveInt(kind, 'dim', config.dim),
      paddingIndex,
      trainable: config.trainable ?? true,
      init: config.init ?? 'normal',
      initStd: checkNumber(kind, 'initStd', config.initStd ?? 0.02),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.settings;
    this.inputDim = s.numEmbeddings;
    this.outputDim = s.dim;
    const init = initializerFromName(kind, 'init', s.init, s.initStd);
    const initial = tf.tidy(() => {
      const table = init([s.numEmbeddings, s.dim], new Rng(s.seed)); // [V, dim]
      return s.paddingIndex === null ? table : tf.mul(table, this.keepRows(s.paddingIndex)); // padding row -> 0
    });
    this.weight = this.addParameter('weight', initial, s.trainable);
  }

  /** An embedding holding a copy of `matrix` `[V, dim]`, frozen unless `trainable` is true. */
  static fromPretrained(
    matrix: tf.Tensor2D,
    options: { trainable?: boolean; paddingIndex?: number | null } = {},
  ): Embedding {
    if (matrix.rank !== 2) throw new Error(`${Embedding.kind}: a pretrained matrix must be [V, dim], got shape [${matrix.shape.join(', ')}]`);
    const [numEmbeddings, dim] = matrix.shape;
    const layer = new Embedding({ numEmbeddings, dim, trainable: options.trainable ?? false, paddingIndex: options.paddingIndex ?? null, init: 'zeros' });
    layer.weight.assign(matrix);
    return layer;
  }

  config(): Required<EmbeddingConfig> {
    return { ...this.settings };
  }

  /**
   * @param ids int32 `[B, ...]` in `[0, numEmbeddings)`
   * @param _training unused
   * @returns `[B, ..., dim]`; 0 vectors at `paddingIndex`
   */
  apply(ids: tf.Tensor, _training = false): tf.Tensor {
    if (ids.dtype !== 'int32') throw new Error(`${this.name}: ids must be int32, got ${ids.dtype}`);
    const { dim, paddingIndex } = this.settings;
    return tf.tidy(() => {
      const rows = tf.gather(this.weight, tf.reshape(ids, [-1]), 0); // [N, dim]
      const vectors = tf.reshape(rows, [...ids.shape, dim]); // [B, ..., dim]
      if (paddingIndex === null) return vectors;
      // Multiplying by the mask (rather than relying on a zero row) keeps the padding
      // output 0 and its row gradient-free even after pretrained weights are loaded.
      const keep = tf.cast(tf.notEqual(ids, tf.scalar(paddingIndex, 'int32')), 'float32'); // [B, ...]
      return tf.mul(vectors, tf.expandDims(keep, -1)); // [B, ..., dim]
    });
  }

  /** `[V, 1]` float: 0 at `paddingIndex`, 1 elsewhere. */
  private keepRows(paddingIndex: number): tf.Tensor {
    return tf.reshape(tf.cast(tf.notEqual(tf.range(0, this.settings.numEmbeddings, 1, 'int32'), paddingIndex), 'float32'), [-1, 1]);
  }
}
