import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';
import { BaseModule } from '../module/module.js';
import { activate, type ActivationName } from '../ops/activation.js';
import { checkActivation, checkLastDim, checkNumber, checkPositiveInt, checkSeed } from './config-checks.js';
import { initializerFromName, type InitializerName } from './initializer-name.js';

/** Config of {@link Dense}; every field but the dims has a default. */
export interface DenseConfig {
  inputDim: number;
  outputDim: number;
  /** Default `"linear"`. */
  activation?: ActivationName;
  /** Default true. */
  useBias?: boolean;
  /** Default `"glorot-uniform"`. */
  kernelInit?: InitializerName;
  /** Std of the `"normal"` initialiser. Default 0.02. */
  initStd?: number;
  /** Constant initial value of every bias entry. Default 0. */
  biasInit?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

/**
 * Fully connected layer on the last axis: `y = activation(x · kernel + bias)`,
 * `kernel [inputDim, outputDim]`, `bias [outputDim]`. Registered as `"dense.v1"`.
 */
export class Dense extends BaseModule {
  static readonly kind = 'dense.v1';
  readonly name = Dense.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly kernel: tf.Variable; // [inputDim, outputDim]
  readonly bias: tf.Variable | null; // [outputDim]
  private readonly settings: Required<DenseConfig>;

  constructor(config: DenseConfig) {
    super();
    const kind = Dense.kind;
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', config.inputDim),
      outputDim: checkPositiveInt(kind, 'outputDim', config.outputDim),
      activation: checkActivation(kind, 'activation', config.activation ?? 'linear'),
      useBias: config.useBias ?? true,
      kernelInit: config.kernelInit ?? 'glorot-uniform',
      initStd: checkNumber(kind, 'initStd', config.initStd ?? 0.02),
      biasInit: checkNumber(kind, 'biasInit', config.biasInit ?? 0),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.settings;
    this.inputDim = s.inputDim;
    this.outputDim = s.outputDim;
    const init = initializerFromName(kind, 'kernelInit', s.kernelInit, s.initStd);
    this.kernel = this.addParameter('kernel', init([s.inputDim, s.outputDim], new Rng(s.seed))); // [in, out]
    this.bias = s.useBias ? this.addParameter('bias', tf.fill([s.outputDim], s.biasInit)) : null; // [out]
  }

  /** The activation after the affine map. */
  get activation(): ActivationName {
    return this.settings.activation;
  }

  config(): Required<DenseConfig> {
    return { ...this.settings };
  }

  /**
   * @param x `[..., inputDim]`
   * @param _training unused (no dropout); kept so every layer has the same call shape
   * @returns `[..., outputDim]`
   */
  apply(x: tf.Tensor, _training = false): tf.Tensor {
    checkLastDim(this.name, 'input', x, this.inputDim, 'inputDim');
    return tf.tidy(() => {
      const leading = x.shape.slice(0, -1); // [...]
      const flat = tf.reshape(x, [-1, this.inputDim]); // [N, in]
      let y = tf.matMul(flat, this.kernel); // [N, out]
      if (this.bias) y = tf.add(y, this.bias); // [N, out]
      return activate(tf.reshape(y, [...leading, this.outputDim]), this.settings.activation); // [..., out]
    });
  }
}
