import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Embedding, maskedMax, Rng, glorotUniform } from '@spanrel/tensor-core';

/** Config of {@link CharCnn}; defaults are those of Dixit & Al-Onaizan (2019), section 4. */
export interface CharCnnConfig {
  /** Rows of the character table (the char vocabulary size, `<pad>` = row 0). */
  numChars: number;
  /** Character embedding size. Default 8. */
  charDim?: number;
  /** Convolution widths. Default [3, 4, 5]. */
  widths?: number[];
  /** Filters per width. Default 50. */
  filtersPerWidth?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * Character CNN word features: embed each character (`charDim`), run 1-d
 * convolutions of each width (`filtersPerWidth` filters, stride 1), ReLU, and
 * max-pool each filter over the positions of the word. Output size
 * `widths.length * filtersPerWidth` (150 by default), widths in config order.
 *
 * Masking: only windows that start inside the word and end inside it are pooled;
 * a word shorter than a width has exactly one window for it, at position 0, whose
 * tail covers padding characters — their embedding is the 0 vector (row 0), so
 * that window equals a convolution with zero padding on the right. Windows made
 * only of padding never take part, so the features of a word do not depend on
 * how far it was padded. Registered as `"char-cnn.v1"`.
 */
export class CharCnn extends BaseModule {
  static readonly kind = 'char-cnn.v1';
  readonly name = CharCnn.kind;
  readonly outputDim: number;
  readonly embedding: Embedding;
  /** `kernels[i]` `[widths[i], charDim, filtersPerWidth]`. */
  readonly kernels: tf.Variable[];
  /** `biases[i]` `[filtersPerWidth]`. */
  readonly biases: tf.Variable[];
  private readonly settings: Required<CharCnnConfig>;

  constructor(config: CharCnnConfig) {
    super();
    const kind = CharCnn.kind;
    const widths = config.widths ?? [3, 4, 5];
    if (!Array.isArray(widths) || widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
      throw new Error(`${kind}: config.widths must be a non-empty array of positive integers, got ${JSON.stringify(config.widths)}`);
    }
    for (const field of ['numChars', 'charDim', 'filtersPerWidth'] as const) {
      const v = config[field];
      if (v !== undefined && (!Number.isInteger(v) || v < 1)) throw new Error(`${kind}: config.${field} must be a positive integer, got ${JSON.stringify(v)}`);
    }
    this.settings = {
      numChars: config.numChars,
      charDim: config.charDim ?? 8,
      widths: [...widths],
      filtersPerWidth: config.filtersPerWidth ?? 50,
      seed: config.seed ?? 0,
    };
    const s = this.settings;
    const rng = new Rng(s.seed);
    this.embedding = this.addChild(
      'embedding',
      new Embedding({ numEmbeddings: s.numChars, dim: s.charDim, paddingIndex: 0, init: 'glorot-uniform', seed: rng.seed() }),
    );
    const init = glorotUniform();
    this.kernels = s.widths.map((w) => this.addParameter(`conv${w}.kernel`, init([w, s.charDim, s.filtersPerWidth], rng)));
    this.biases = s.widths.map((w) => this.addParameter(`conv${w}.bias`, tf.zeros([s.filtersPerWidth])));
    this.outputDim = s.widths.length * s.filtersPerWidth;
  }

  /** Widest convolution: words are padded to at least this many characters. */
  get maxWidth(): number {
    return Math.max(...this.settings.widths);
  }

  config(): Required<CharCnnConfig> {
    return { ...this.settings, widths: [...this.settings.widths] };
  }

  /**
   * @param charIds int32 `[N, L]`, `L >= maxWidth`, 0 = padding
   * @param lengths int32 `[N]` characters per word (the rest of the row is padding)
   * @returns `[N, outputDim]`; a word of length 0 gets the features of one all-padding window (ReLU of the biases)
   */
  apply(charIds: tf.Tensor2D, lengths: tf.Tensor1D): tf.Tensor2D {
    const [, L] = charIds.shape;
    if (L < this.maxWidth) throw new Error(`${this.name}: charIds has ${L} positions, fewer than the widest convolution (${this.maxWidth})`);
    return tf.tidy(() => {
      const chars = this.embedding.apply(charIds) as tf.Tensor3D; // [N, L, charDim]
      const lengthCol = tf.reshape(lengths, [-1, 1]); // [N, 1]
      const pooled = this.settings.widths.map((w, i) => {
        const conv = tf.conv1d(chars, this.kernels[i] as tf.Tensor3D, 1, 'valid'); // [N, P = L - w + 1, F]
        const activated = tf.relu(tf.add(conv, this.biases[i])); // [N, P, F]
        const positions = tf.reshape(tf.range(0, L - w + 1, 1, 'int32'), [1, -1]); // [1, P]
        const windows = tf.maximum(tf.sub(lengthCol, w - 1), 1); // [N, 1] valid windows (at least one)
        const valid = tf.less(positions, windows); // [N, P]
        return maskedMax(activated, valid, 1); // [N, F]
      });
      return tf.concat(pooled, 1) as tf.Tensor2D; // [N, widths * F]
    });
  }
}
