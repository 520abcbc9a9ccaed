import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { FeedForward, pairFeedForward } from '@spanrel/tensor-core';
import { BaseRelationHead } from './base-relation-head.js';
import { checkActivation, checkDims, checkRate, type ActivationName } from '@spanrel/tensor-core';
import { decodeSoftmax } from './decode-relations.js';
import type { PairBatch } from './pair-batch.js';
import type { RelationHeadBaseConfig, RelationPrediction } from './relation-head.js';

/** Config of {@link DixitRelationHead}. */
export interface DixitRelationHeadConfig extends RelationHeadBaseConfig {
  /** Hidden layers of `MLP_re`. Default `[500, 500]`. */
  hiddenDims?: number[];
  /** Dropout after each hidden layer while training. Default 0.2. */
  dropout?: number;
  /** Activation of the hidden layers. Default `relu` (the paper); see `MlpEntityClassifierConfig.activation` on smooth ones. */
  activation?: ActivationName;
}

const OWN_FIELDS = ['hiddenDims', 'dropout', 'activation'] as const;

/**
 * Dixit & Al-Onaizan 2019's relation classifier (section 3.3, Eq. 2):
 * `r_ij = [g_i; g_j; g_i ∘ g_j]` (order-sensitive), `MLP_re(r_ij)` with two
 * 500-unit ReLU layers and dropout 0.2, softmax over `none` + the relation types.
 * It uses no word context (`contextDim` is only checked). Parameters
 * `mlp.layers.<i>.*`. Registered as `"dixit-relation-head.v1"`.
 *
 * ```ts
 * const head = new DixitRelationHead({ spanDim: spanHead.relationDim, contextDim: 400, numTypes: 6 });
 * const logits = head.score(enc, keptReps, allPairs(keptSpans, keptMask, T), false); // [B, P, 7]
 * ```
 */
export class DixitRelationHead extends BaseRelationHead {
  static readonly kind = 'dixit-relation-head.v1';
  readonly name = DixitRelationHead.kind;
  readonly outputDim: number;
  /** Pairs are `[g_i; g_j; g_i * g_j]`: no words between the spans. */
  override readonly readsContext = false;
  private readonly hiddenDims: number[];
  private readonly dropoutRate: number;
  private readonly activation: ActivationName;
  private readonly mlp: FeedForward;

  constructor(config: DixitRelationHeadConfig) {
    super(DixitRelationHead.kind, config, OWN_FIELDS);
    const kind = DixitRelationHead.kind;
    this.hiddenDims = checkDims(kind, 'hiddenDims', config.hiddenDims ?? [500, 500]);
    this.dropoutRate = checkRate(kind, 'dropout', config.dropout ?? 0.2);
    this.activation = checkActivation(kind, 'activation', config.activation ?? 'relu');
    this.outputDim = this.numTypes + 1;
    this.mlp = this.addChild(
      'mlp',
      new FeedForward({ inputDim: 3 * this.inputDim, hiddenDims: this.hiddenDims, outputDim: this.outputDim, activation: this.activation, dropout: this.dropoutRate, seed: this.initRng.seed() }),
    );
  }

  config(): Required<DixitRelationHeadConfig> {
    return { ...this.baseConfig(), hiddenDims: [...this.hiddenDims], dropout: this.dropoutRate, activation: this.activation };
  }

  protected scoreChunk(_enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    // MLP([g_i; g_j; g_i * g_j]); at inference the pairs may be gathered inside onnxruntime
    return pairFeedForward(this.mlp, spanReps, pairs.pairs, training); // [B, p, R + 1]
  }

  /** The argmax class of each pair; `none` (class 0) gives no relation. */
  predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][] {
    return decodeSoftmax(logits, pairs);
  }
}
