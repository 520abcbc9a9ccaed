import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/index.js';
import { BaseModule } from '../module/index.js';
import { Dense } from '../nn/dense.js';
import { checkPositiveInt, checkRate, checkSeed } from '../nn/config-checks.js';
import { dropout } from '../ops/dropout.js';
import { Lstm } from './lstm.js';

/** Config of {@link BiLstm}. */
export interface BiLstmConfig {
  /** Size D of each input vector. */
  inputDim: number;
  /** Hidden size H of each direction; the output is 2H wide. */
  hiddenDim: number;
  /** Stacked bidirectional layers. Default 1 (Dixit et al. 2019: 3). */
  numLayers?: number;
  /**
   * Highway connections between layers (Dixit et al. 2019, as in Lee et al.'s
   * coreference encoder): for every layer after the first,
   * `out = r * layer(in) + (1 - r) * in` with `r = sigmoid(layer(in) W_r + b_r)`. Default false.
   */
  highway?: boolean;
  /** Dropout on every layer's output while training (Dixit: 0.4). Default 0. */
  dropout?: number;
  /** Seed of the initial weights and of the dropout masks. Default 0. */
  seed?: number;
}

/**
 * Stacked bidirectional LSTM over a padded batch: each layer runs a forward
 * and a backward {@link Lstm} on the previous layer's output and concatenates
 * them, `[h_fwd ; h_bwd]`. The backward direction starts at each sentence's
 * own last word, so a sentence gives the same states alone as in any padded
 * batch; padded positions are 0. Parameters `layers.<l>.forward.*`,
 * `layers.<l>.backward.*` and, with highway, `layers.<l>.highway.*` (l >= 1).
 * Registered as `"bilstm.v1"`.
 */
export class BiLstm extends BaseModule {
  static readonly kind = 'bilstm.v1';
  readonly name = BiLstm.kind;
  readonly inputDim: number;
  /** 2 * hiddenDim. */
  readonly outputDim: number;
  private readonly layers: { forward: Lstm; backward: Lstm; highway: Dense | null }[] = [];
  private readonly settings: Required<BiLstmConfig>;
  private readonly dropoutRng: Rng;

  constructor(config: BiLstmConfig) {
    super();
    const kind = BiLstm.kind;
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', config.inputDim),
      hiddenDim: checkPositiveInt(kind, 'hiddenDim', config.hiddenDim),
      numLayers: checkPositiveInt(kind, 'numLayers', config.numLayers ?? 1),
      highway: config.highway ?? false,
      dropout: checkRate(kind, 'dropout', config.dropout ?? 0),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    if (typeof this.settings.highway !== 'boolean') throw new Error(`${kind}: config field "highway" must be a boolean`);
    const { inputDim, hiddenDim: H, numLayers, highway } = this.settings;
    this.inputDim = inputDim;
    this.outputDim = 2 * H;
    const rng = new Rng(this.settings.seed);
    for (let l = 0; l < numLayers; l++) {
      const layerInput = l === 0 ? inputDim : 2 * H;
      this.layers.push({
        forward: this.addChild(`layers.${l}.forward`, new Lstm({ inputDim: layerInput, hiddenDim: H, seed: rng.seed() })),
        backward: this.addChild(`layers.${l}.backward`, new Lstm({ inputDim: layerInput, hiddenDim: H, reverse: true, seed: rng.seed() })),
        highway:
          highway && l > 0
            ? this.addChild(`layers.${l}.highway`, new Dense({ inputDim: 2 * H, outputDim: 2 * H, activation: 'sigmoid', seed: rng.seed() }))
            : null,
      });
    }
    this.dropoutRng = new Rng(rng.seed());
  }

  /** The stacked layers, first to last (for exporters such as the ONNX encoder graph; do not mutate). */
  get stack(): readonly { readonly forward: Lstm; readonly backward: Lstm; readonly highway: Dense | null }[] {
    return this.layers;
  }

  /** H, the hidden size of each direction. */
  get hiddenDim(): number {
    return this.settings.hiddenDim;
  }

  config(): Required<BiLstmConfig> {
    return { ...this.settings };
  }

  /**
   * @param x `[B, T, D]`
   * @param mask `[B, T]` 1 for real words, 0 for padding; real words first in each row
   * @param training applies dropout to every layer's output
   * @returns `[B, T, 2H]` states `[forward ; backward]` of the last layer, 0 at padded positions
   */
  apply(x: tf.Tensor3D, mask: tf.Tensor2D, training = false): tf.Tensor3D {
    return tf.tidy(() => {
      let input: tf.Tensor3D = x; // [B, T, D] then [B, T, 2H]
      for (const layer of this.layers) {
        let out: tf.Tensor3D = tf.concat([layer.forward.apply(input, mask), layer.backward.apply(input, mask)], 2); // [B, T, 2H]
        out = dropout(out, this.settings.dropout, this.dropoutRng, training); // [B, T, 2H]; zeros stay zero
        if (layer.highway) {
          const carry = layer.highway.apply(out); // [B, T, 2H] in (0, 1)
          out = tf.add(tf.mul(carry, out), tf.mul(tf.sub(1, carry), input)) as tf.Tensor3D; // [B, T, 2H]; 0 at padding (both terms are)
        }
        input = out;
      }
      return input;
    });
  }
}
