import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../init/rng.js';
import { BaseModule } from '../../module/module.js';
import { checkPositiveInt, checkRate, checkSeed } from '../config-checks.js';
import { Dense } from '../dense.js';
import { attendOverValues, prepareAttentionInputs, queryHasKey } from './attend.js';
import type { Attention, AttentionBaseConfig, AttentionVariant } from './attention.js';

/** Config fields shared by the single-head variants (additive, dot-product, general). */
export interface SingleHeadAttentionConfig extends AttentionBaseConfig {
  /**
   * Size of an optional linear projection of the attended values; null (default)
   * returns the weighted sum of the values as is (`outputDim = valueDim`).
   */
  outputDim?: number | null;
}

/** The resolved shared fields, as they appear in every variant's `config()`. */
export interface ResolvedSingleHeadConfig {
  queryDim: number;
  keyDim: number;
  valueDim: number;
  outputDim: number | null;
  attentionDropout: number;
  seed: number;
}

/**
 * Owns what the single-head variants share — shape checks, key masking, softmax,
 * dropout on the weights, the weighted sum of the values, the optional output
 * projection and zeroing queries with no key — so each variant writes only its
 * score function `scores(query, key) -> [B, Tq, Tk]`.
 */
export abstract class SingleHeadAttention extends BaseModule implements Attention {
  abstract readonly variant: AttentionVariant;
  readonly inputDim: number;
  readonly queryDim: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly outputDim: number;
  protected readonly shared: ResolvedSingleHeadConfig;
  /** Draws the seeds of the variant's own parameters, in a fixed order. */
  protected readonly initRng: Rng;
  private readonly dropoutRng: Rng;
  private readonly outputProjection: Dense | null;

  protected constructor(kind: string, config: SingleHeadAttentionConfig) {
    super();
    const outputDim = config.outputDim ?? null;
    this.shared = {
      queryDim: checkPositiveInt(kind, 'queryDim', config.queryDim),
      keyDim: checkPositiveInt(kind, 'keyDim', config.keyDim),
      valueDim: checkPositiveInt(kind, 'valueDim', config.valueDim),
      outputDim: outputDim === null ? null : checkPositiveInt(kind, 'outputDim', outputDim),
      attentionDropout: checkRate(kind, 'attentionDropout', config.attentionDropout ?? 0),
      seed: checkSeed(kind, config.seed ?? 0),
    };
    const s = this.shared;
    this.inputDim = s.queryDim;
    this.queryDim = s.queryDim;
    this.keyDim = s.keyDim;
    this.valueDim = s.valueDim;
    this.outputDim = s.outputDim ?? s.valueDim;
    const rng = new Rng(s.seed);
    this.dropoutRng = new Rng(rng.seed());
    const outputSeed = rng.seed();
    this.outputProjection =
      s.outputDim === null ? null : this.addChild('output', new Dense({ inputDim: s.valueDim, outputDim: s.outputDim, seed: outputSeed }));
    this.initRng = rng;
  }

  /**
   * Unnormalised attention scores.
   * @param query `[B, Tq, queryDim]`
   * @param key `[B, Tk, keyDim]`
   * @returns `[B, Tq, Tk]`
   */
  protected abstract scores(query: tf.Tensor3D, key: tf.Tensor3D): tf.Tensor3D;

  abstract config(): object;

  apply(query: tf.Tensor3D, key: tf.Tensor3D, value: tf.Tensor3D, keyMask: tf.Tensor | null, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const mask = prepareAttentionInputs(this.name, this, query, key, value, keyMask); // [B, Tq|1, Tk]
      const scores = this.scores(query, key); // [B, Tq, Tk]
      const attended = attendOverValues(scores, mask, value, this.shared.attentionDropout, this.dropoutRng, training); // [B, Tq, Dv]
      const projected = this.outputProjection ? this.outputProjection.apply(attended) : attended; // [B, Tq, Dout]
      return tf.mul(projected, queryHasKey(mask, query.shape[1])) as tf.Tensor3D; // [B, Tq, Dout] no key -> 0
    });
  }
}
