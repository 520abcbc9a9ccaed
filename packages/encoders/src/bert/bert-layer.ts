import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, dropout, LayerNorm, MultiHeadAttention, Rng } from '@spanrel/tensor-core';
import { hfActivation } from './hf-activation.js';
import type { BertArchitecture } from './hf-config.js';

/**
 * One post-LN transformer layer, as in BERT and ALBERT:
 *
 * ```
 * a = LayerNorm(x + dropout(SelfAttention(x)))          // attention.output.dense inside SelfAttention
 * y = LayerNorm(a + dropout(Dense(act(Dense(a)))))      // intermediate, output
 * ```
 *
 * Parameters: `attention.{query,key,value,output}.{kernel,bias}` (kernels `[in, out]`),
 * `attentionNorm.{gamma,beta}`, `intermediate.{kernel,bias}`, `output.{kernel,bias}`,
 * `outputNorm.{gamma,beta}`. `hf-weights.ts` maps them to the checkpoint names.
 */
export class BertLayer extends BaseModule {
  readonly name = 'bert-layer';
  readonly attention: MultiHeadAttention;
  readonly attentionNorm: LayerNorm;
  readonly intermediate: Dense;
  readonly output: Dense;
  readonly outputNorm: LayerNorm;
  private readonly hiddenDropout: number;
  private readonly dropoutRng: Rng;

  constructor(
    private readonly arch: BertArchitecture,
    dropoutRates: { hidden: number; attention: number },
    seed: number,
  ) {
    super();
    const d = arch.hiddenSize;
    const rng = new Rng(seed);
    this.hiddenDropout = dropoutRates.hidden;
    this.attention = this.addChild(
      'attention',
      new MultiHeadAttention({
        queryDim: d,
        keyDim: d,
        valueDim: d,
        numHeads: arch.numHeads,
        hiddenDim: d,
        outputDim: d,
        attentionDropout: dropoutRates.attention,
        seed: rng.seed(),
      }),
    );
    this.attentionNorm = this.addChild('attentionNorm', new LayerNorm({ dim: d, eps: arch.layerNormEps }));
    this.intermediate = this.addChild('intermediate', new Dense({ inputDim: d, outputDim: arch.intermediateSize, kernelInit: 'normal', seed: rng.seed() }));
    this.output = this.addChild('output', new Dense({ inputDim: arch.intermediateSize, outputDim: d, kernelInit: 'normal', seed: rng.seed() }));
    this.outputNorm = this.addChild('outputNorm', new LayerNorm({ dim: d, eps: arch.layerNormEps }));
    this.dropoutRng = new Rng(rng.seed());
  }

  config(): object {
    return { ...this.arch };
  }

  /**
   * @param x `[B, N, D]`
   * @param keyMask float `[B, N]`, 1 = real sub-word (padding is never attended to)
   * @param training enables dropout
   * @returns `[B, N, D]`; rows at padding positions hold values no caller should read
   */
  apply(x: tf.Tensor3D, keyMask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const attended = this.attention.apply(x, x, x, keyMask, training); // [B, N, D]
      const a = this.attentionNorm.apply(tf.add(x, dropout(attended, this.hiddenDropout, this.dropoutRng, training))); // [B, N, D]
      const inner = hfActivation(this.intermediate.apply(a), this.arch.hiddenAct); // [B, N, I]
      const out = dropout(this.output.apply(inner), this.hiddenDropout, this.dropoutRng, training); // [B, N, D]
      return this.outputNorm.apply(tf.add(a, out)) as tf.Tensor3D; // [B, N, D]
    });
  }
}
