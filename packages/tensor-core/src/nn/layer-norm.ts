import * as tf from '@tensorflow/tfjs-core';
import { BaseModule } from '../module/module.js';
import { checkLastDim, checkPositiveInt } from './config-checks.js';
import { layerNorm } from '../ops/layer-norm.js';

/** Config of {@link LayerNorm}. */
export interface LayerNormConfig {
  /** Size of the normalised (last) axis. */
  dim: number;
  /** Added to the variance; default 1e-12 as in BERT (1e-5 in PyTorch's default, 1e-6 in some models). */
  eps?: number;
}

/**
 * Layer normalisation over the last axis (Ba et al. 2016, as in BERT):
 * `gamma * (x - mean) / sqrt(var + eps) + beta`, biased variance.
 * Parameters `gamma [dim]` (ones) and `beta [dim]` (zeros); its initial state is
 * fixed, so the config has no seed. Registered as `"layer-norm.v1"`.
 */
export class LayerNorm extends BaseModule {
  static readonly kind = 'layer-norm.v1';
  readonly name = LayerNorm.kind;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly gamma: tf.Variable; // [dim]
  readonly beta: tf.Variable; // [dim]
  private readonly settings: Required<LayerNormConfig>;

  constructor(config: LayerNormConfig) {
    super();
    const kind = LayerNorm.kind;
    const eps = config.eps ?? 1e-12;
    if (typeof eps !== 'number' || !(eps > 0)) throw new Error(`${kind}: config.eps must be a positive number, got ${JSON.stringify(eps)}`);
    this.settings = { dim: checkPositiveInt(kind, 'dim', config.dim), eps };
    this.inputDim = this.settings.dim;
    this.outputDim = this.settings.dim;
    this.gamma = this.addParameter('gamma', tf.ones([this.settings.dim])); // [dim]
    this.beta = this.addParameter('beta', tf.zeros([this.settings.dim])); // [dim]
  }

  config(): Required<LayerNormConfig> {
    return { ...this.settings };
  }

  /**
   * @param x `[..., dim]`
   * @param _training unused
   * @returns `[..., dim]`
   */
  apply(x: tf.Tensor, _training = false): tf.Tensor {
    checkLastDim(this.name, 'input', x, this.settings.dim, 'dim');
    return layerNorm(x, this.gamma, this.beta, this.settings.eps); // [..., dim]
  }
}
