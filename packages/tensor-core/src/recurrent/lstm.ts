import * as tf from '@tensorflow/tfjs-core';
import { glorotUniform, Rng } from '../init/index.js';
import { BaseModule } from '../module/index.js';
import { checkNumber, checkPositiveInt, checkSeed } from '../nn/config-checks.js';
import { lstmRecurrence } from './lstm-recurrence.js';
import { orthogonalBlocks } from './orthogonal.js';
import { permuteRows, readingOrder } from './reading-order.js';

/** Config of {@link Lstm}. */
export interface LstmConfig {
  /** Size D of each input vector. */
  inputDim: number;
  /** Size H of the hidden state. */
  hiddenDim: number;
  /** Run right-to-left: each sentence starts at its own last word. Default false. */
  reverse?: boolean;
  /** Initial bias of the forget gate (1 keeps early memories, Jozefowicz et al. 2015). Default 1. */
  forgetBias?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * One LSTM layer over a padded batch, zero initial state. Parameters:
 * `kernel [D, 4H]` (Glorot uniform), `recurrentKernel [H, 4H]` (orthogonal per
 * gate), `bias [4H]` — gate columns in the order `[i | f | o | g]`.
 * Registered as `"lstm.v1"`.
 *
 * Speed: the input projection of all steps is one matMul, the four gates are
 * one `[B, H] x [H, 4H]` matMul per step, and the recurrence has a hand-written
 * backward pass (see `lstm-recurrence.ts`); on wasm and cpu its time loops run
 * as two kernels (`SpanrelLstmRecurrence` / `...Grad`) unless
 * `setFusedKernels(false)`.
 *
 * Padding never leaks: outputs at padded positions are 0, and a sentence gives
 * the same states alone as in any padded batch (the reverse direction included).
 */
export class Lstm extends BaseModule {
  static readonly kind = 'lstm.v1';
  readonly name = Lstm.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly kernel: tf.Variable; // [D, 4H]
  readonly recurrentKernel: tf.Variable; // [H, 4H]
  readonly bias: tf.Variable; // [4H]
  private readonly settings: Required<LstmConfig>;

  constructor(config: LstmConfig) {
    super();
    const kind = Lstm.kind;
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', config.inputDim),
      hiddenDim: checkPositiveInt(kind, 'hiddenDim', config.hiddenDim),
      reverse: config.reverse ?? false,
      forgetBias: checkNumber(kind, 'forgetBias', config.forgetBias ?? 1),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    if (typeof this.settings.reverse !== 'boolean') throw new Error(`${kind}: config field "reverse" must be a boolean`);
    const { inputDim: D, hiddenDim: H, forgetBias } = this.settings;
    this.inputDim = D;
    this.outputDim = H;
    const rng = new Rng(this.settings.seed);
    this.kernel = this.addParameter('kernel', glorotUniform()([D, 4 * H], rng)); // [D, 4H]
    this.recurrentKernel = this.addParameter('recurrentKernel', orthogonalBlocks(H, 4, rng)); // [H, 4H]
    const bias = new Float32Array(4 * H);
    bias.fill(forgetBias, H, 2 * H); // the f block of [i | f | o | g]
    this.bias = this.addParameter('bias', tf.tensor1d(bias)); // [4H]
  }

  config(): Required<LstmConfig> {
    return { ...this.settings };
  }

  /**
   * @param x `[B, T, D]`
   * @param mask `[B, T]` 1 for real words, 0 for padding; real words first in each row
   * @returns `[B, T, H]` hidden states, 0 at padded positions
   */
  apply(x: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor3D {
    const [B, T, D] = x.shape;
    if (x.rank !== 3 || D !== this.inputDim) {
      throw new Error(`${this.name}: input must be [B, T, ${this.inputDim}] (inputDim), got [${x.shape}]`);
    }
    if (mask.rank !== 2 || mask.shape[0] !== B || mask.shape[1] !== T) {
      throw new Error(`${this.name}: mask must be [${B}, ${T}] like the input's [B, T], got [${mask.shape}]`);
    }
    const H = this.outputDim;
    return tf.tidy(() => {
      const floatMask = tf.cast(mask, 'float32') as tf.Tensor2D; // [B, T]
      const { toTimeMajor, toBatchMajor } = readingOrder(floatMask, this.settings.reverse);
      // [T*B, D]: time-major rows, each sentence in this layer's reading direction.
      const rows = permuteRows(tf.reshape(x, [B * T, D]) as tf.Tensor2D, toTimeMajor, toBatchMajor);
      const projected = tf.add(tf.matMul(rows, this.kernel), this.bias); // [T*B, 4H], all steps in one matMul
      const states = lstmRecurrence(tf.reshape(projected, [T, B, 4 * H]) as tf.Tensor3D, this.recurrentKernel as tf.Tensor2D); // [T, B, H]
      const restored = permuteRows(tf.reshape(states, [T * B, H]) as tf.Tensor2D, toBatchMajor, toTimeMajor); // [B*T, H], word order
      return tf.mul(tf.reshape(restored, [B, T, H]), tf.expandDims(floatMask, 2)) as tf.Tensor3D; // [B, T, H], padding zeroed
    });
  }
}
