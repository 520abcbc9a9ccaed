import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../init/rng.js';
import { BaseModule } from '../module/module.js';
import type { ActivationName } from '../ops/activation.js';
import { checkActivation, checkLastDim, checkNumber, checkPositiveInt, checkSeed } from './config-checks.js';
import { Dense } from './dense.js';
import type { InitializerName } from './initializer-name.js';

/** Config of {@link Highway}. */
export interface HighwayConfig {
  /** Input and output size. */
  dim: number;
  /** Number of stacked highway layers. Default 1. */
  numLayers?: number;
  /** Activation of the transform `H`. Default `"relu"`. */
  activation?: ActivationName;
  /**
   * Initial bias of the gate. Default -1: the gate starts mostly closed, so the
   * layer starts close to the identity (Srivastava et al. 2015 suggest -1 .. -3).
   */
  gateBias?: number;
  /** Default `"glorot-uniform"`. */
  kernelInit?: InitializerName;
  /** Default 0. */
  seed?: number;
}

/**
 * Highway layers (Srivastava et al. 2015), as between the BiLSTM layers of the
 * Dixit 2019 encoder: `y = g ⊙ H(x) + (1 - g) ⊙ x` with
 * `g = sigmoid(W_g x + b_g)` and `H(x) = act(W_h x + b_h)`, per layer.
 * Parameters `layers.<i>.transform.*` and `layers.<i>.gate.*`. Registered as `"highway.v1"`.
 */
export class Highway extends BaseModule {
  static readonly kind = 'highway.v1';
  readonly name = Highway.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  private readonly transforms: Dense[];
  private readonly gates: Dense[];
  private readonly settings: Required<HighwayConfig>;

  constructor(config: HighwayConfig) {
    super();
    const kind = Highway.kind;
    this.settings = {
      dim: checkPositiveInt(kind, 'dim', config.dim),
      numLayers: checkPositiveInt(kind, 'numLayers', config.numLayers ?? 1),
      activation: checkActivation(kind, 'activation', config.activation ?? 'relu'),
      gateBias: checkNumber(kind, 'gateBias', config.gateBias ?? -1),
      kernelInit: config.kernelInit ?? 'glorot-uniform',
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.settings;
    this.inputDim = s.dim;
    this.outputDim = s.dim;
    const rng = new Rng(s.seed);
    this.transforms = [];
    this.gates = [];
    for (let i = 0; i < s.numLayers; i++) {
      const common = { inputDim: s.dim, outputDim: s.dim, kernelInit: s.kernelInit };
      this.transforms.push(this.addChild(`layers.${i}.transform`, new Dense({ ...common, activation: s.activation, seed: rng.seed() })));
      this.gates.push(this.addChild(`layers.${i}.gate`, new Dense({ ...common, activation: 'sigmoid', biasInit: s.gateBias, seed: rng.seed() })));
    }
  }

  config(): Required<HighwayConfig> {
    return { ...this.settings };
  }

  /**
   * @param x `[..., dim]`
   * @param _training unused
   * @returns `[..., dim]`
   */
  apply(x: tf.Tensor, _training = false): tf.Tensor {
    checkLastDim(this.name, 'input', x, this.settings.dim, 'dim');
    return tf.tidy(() => {
      let h = x; // [..., dim]
      for (let i = 0; i < this.settings.numLayers; i++) {
        const transformed = this.transforms[i].apply(h); // [..., dim] H(x)
        const gate = this.gates[i].apply(h); // [..., dim] in (0, 1)
        h = tf.add(tf.mul(gate, transformed), tf.mul(tf.sub(1, gate), h)); // [..., dim]
      }
      return h;
    });
  }
}
