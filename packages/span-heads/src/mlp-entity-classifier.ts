import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, FeedForward } from '@spanrel/tensor-core';
import { checkActivation, checkConfigObject, checkDims, checkPositiveInt, checkRate, checkSeed, type ActivationName } from '@spanrel/tensor-core';
import { checkReps, type EntityClassifier, type EntityClassifierBaseConfig } from './entity-classifier.js';

/** Config of {@link MlpEntityClassifier}. */
export interface MlpEntityClassifierConfig extends EntityClassifierBaseConfig {
  /** Hidden layers. Default `[500, 500]` (Dixit). */
  hiddenDims?: number[];
  /** Dropout after each hidden layer while training. Default 0.2 (Dixit). */
  dropout?: number;
  /**
   * Activation of the hidden layers. Default `relu` (Dixit). A smooth one
   * (`gelu`, `tanh`) has a continuous gradient, so that two float summation
   * orders (another GEMM) give the same gradients to rounding; with `relu` a
   * pre-activation within rounding of 0 switches a unit's gradient on or off.
   */
  activation?: ActivationName;
}

const FIELDS = ['inputDim', 'numTypes', 'seed', 'hiddenDims', 'dropout', 'activation'] as const;

/**
 * Dixit & Al-Onaizan 2019's `MLP_ner` (Eq. 1): two 500-unit ReLU layers (`activation`) with
 * dropout 0.2, then a linear layer to `none` + the entity types (logits; Eq. 1
 * applies the softmax). Parameters `mlp.layers.<i>.*`.
 * Registered as `"mlp-entity-classifier.v1"`.
 *
 * ```ts
 * const classifier = new MlpEntityClassifier({ inputDim: head.outputDim, numTypes: 7 });
 * const logits = classifier.classify(reps, true); // [B, S, 8]
 * ```
 */
export class MlpEntityClassifier extends BaseModule implements EntityClassifier {
  static readonly kind = 'mlp-entity-classifier.v1';
  readonly name = MlpEntityClassifier.kind;
  readonly inputDim: number;
  readonly numTypes: number;
  readonly outputDim: number;
  private readonly settings: Required<MlpEntityClassifierConfig>;
  private readonly mlp: FeedForward;

  constructor(config: MlpEntityClassifierConfig) {
    super();
    const kind = MlpEntityClassifier.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', c.inputDim),
      numTypes: checkPositiveInt(kind, 'numTypes', c.numTypes),
      seed: checkSeed(kind, c.seed ?? 0),
      hiddenDims: checkDims(kind, 'hiddenDims', c.hiddenDims ?? [500, 500]),
      dropout: checkRate(kind, 'dropout', c.dropout ?? 0.2),
      activation: checkActivation(kind, 'activation', c.activation ?? 'relu'),
    };
    const s = this.settings;
    this.inputDim = s.inputDim;
    this.numTypes = s.numTypes;
    this.outputDim = s.numTypes + 1;
    this.mlp = this.addChild(
      'mlp',
      new FeedForward({ inputDim: s.inputDim, hiddenDims: s.hiddenDims, outputDim: this.outputDim, activation: s.activation, dropout: s.dropout, seed: s.seed }),
    );
  }

  config(): Required<MlpEntityClassifierConfig> {
    return { ...this.settings, hiddenDims: [...this.settings.hiddenDims] };
  }

  classify(spanReps: tf.Tensor3D, training: boolean): tf.Tensor3D {
    checkReps(this.name, spanReps, this.inputDim);
    return this.mlp.apply(spanReps, training) as tf.Tensor3D; // [B, S, C]
  }
}
