import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';
import { BaseModule } from '../module/module.js';
import type { ActivationName } from '../ops/activation.js';
import { dropout } from '../ops/dropout.js';
import { checkActivation, checkNumber, checkPositiveInt, checkRate, checkSeed } from './config-checks.js';
import { Dense } from './dense.js';
import { fusedKernelsEnabled } from '../backend/fused-kernels.js';
import { feedForwardRuntime, type FeedForwardLayers } from './feed-forward-inference.js';
import type { InitializerName } from './initializer-name.js';

/** Config of {@link FeedForward}. */
export interface FeedForwardConfig {
  inputDim: number;
  /** Sizes of the hidden layers; `[]` makes a single linear layer. Default `[]`. */
  hiddenDims?: number[];
  outputDim: number;
  /** Activation after every hidden layer. Default `"relu"`. */
  activation?: ActivationName;
  /** Activation of the last layer. Default `"linear"` (logits). */
  outputActivation?: ActivationName;
  /** Dropout rate between layers (after each hidden activation), only when training. Default 0. */
  dropout?: number;
  /** Default true. */
  useBias?: boolean;
  /** Default `"glorot-uniform"`. */
  kernelInit?: InitializerName;
  /** Std of the `"normal"` initialiser. Default 0.02. */
  initStd?: number;
  /** Seed of the initial weights and of the dropout noise. Default 0. */
  seed?: number;
}

/**
 * A multi-layer perceptron (the papers' "multi-layer FFNN"):
 * `Dense -> act -> dropout -> ... -> Dense -> outputActivation`, with
 * `hiddenDims.length + 1` dense layers, parameters `layers.<i>.kernel` / `.bias`.
 * Registered as `"ffn.v1"`. At inference (`training` false, fused kernels on)
 * an installed {@link setFeedForwardRuntime} runtime (onnxruntime-node) may run
 * the forward pass instead of tfjs.
 */
export class FeedForward extends BaseModule implements FeedForwardLayers {
  static readonly kind = 'ffn.v1';
  readonly name = FeedForward.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly layers: Dense[];
  private readonly settings: Required<FeedForwardConfig>;
  private readonly dropoutRng: Rng;

  constructor(config: FeedForwardConfig) {
    super();
    const kind = FeedForward.kind;
    const hiddenDims = config.hiddenDims ?? [];
    if (!Array.isArray(hiddenDims)) throw new Error(`${kind}: config.hiddenDims must be an array of positive integers`);
    hiddenDims.forEach((d, i) => checkPositiveInt(kind, `hiddenDims[${i}]`, d));
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', config.inputDim),
      hiddenDims: [...hiddenDims],
      outputDim: checkPositiveInt(kind, 'outputDim', config.outputDim),
      activation: checkActivation(kind, 'activation', config.activation ?? 'relu'),
      outputActivation: checkActivation(kind, 'outputActivation', config.outputActivation ?? 'linear'),
      dropout: checkRate(kind, 'dropout', config.dropout ?? 0),
      useBias: config.useBias ?? true,
      kernelInit: config.kernelInit ?? 'glorot-uniform',
      initStd: checkNumber(kind, 'initStd', config.initStd ?? 0.02),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.settings;
    this.inputDim = s.inputDim;
    this.outputDim = s.outputDim;
    const rng = new Rng(s.seed);
    const dims = [s.inputDim, ...s.hiddenDims, s.outputDim];
    this.layers = dims.slice(1).map((outputDim, i) => {
      const isLast = i === dims.length - 2;
      const layer = new Dense({
        inputDim: dims[i],
        outputDim,
        activation: isLast ? s.outputActivation : s.activation,
        useBias: s.useBias,
        kernelInit: s.kernelInit,
        initStd: s.initStd,
        seed: rng.seed(),
      });
      return this.addChild(`layers.${i}`, layer);
    });
    this.dropoutRng = new Rng(rng.seed());
  }

  config(): Required<FeedForwardConfig> {
    return { ...this.settings, hiddenDims: [...this.settings.hiddenDims] };
  }

  /**
   * @param x `[..., inputDim]`
   * @param training enables dropout
   * @returns `[..., outputDim]`
   */
  apply(x: tf.Tensor, training = false): tf.Tensor {
    const runtime = !training && fusedKernelsEnabled() ? feedForwardRuntime() : null;
    if (runtime && x.shape[x.rank - 1] === this.inputDim && x.size > 0) {
      const flat = tf.reshape(x, [-1, this.inputDim]) as tf.Tensor2D; // [N, inputDim]
      const y = runtime.run(this, flat); // [N, outputDim], or null: tfjs runs it
      flat.dispose();
      if (y !== null) {
        const out = tf.reshape(y, [...x.shape.slice(0, -1), this.outputDim]); // [..., outputDim]
        y.dispose();
        return out;
      }
    }
    return tf.tidy(() => {
      let h = x; // [..., inputDim]
      this.layers.forEach((layer, i) => {
        h = layer.apply(h, training); // [..., dims[i + 1]]
        if (i < this.layers.length - 1) h = dropout(h, this.settings.dropout, this.dropoutRng, training); // between layers only
      });
      return h; // [..., outputDim]
    });
  }
}
