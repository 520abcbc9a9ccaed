import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, Rng, dropout } from '@spanrel/tensor-core';
import { checkConfigObject, checkPositiveInt, checkPositiveNumber, checkRate, checkSeed } from '@spanrel/tensor-core';
import { checkReps, type EntityClassifier, type EntityClassifierBaseConfig } from './entity-classifier.js';

/** Config of {@link LinearEntityClassifier}. */
export interface LinearEntityClassifierConfig extends EntityClassifierBaseConfig {
  /** Dropout on the span representation before the linear layer, while training. Default 0.1 (SpERT `prop_drop`). */
  dropout?: number;
  /** Std of the normal initialiser of the kernel (biases start at 0). Default 0.02 (SpERT). */
  initStd?: number;
}

const FIELDS = ['inputDim', 'numTypes', 'seed', 'dropout', 'initStd'] as const;

/**
 * SpERT's span classifier (Eq. 3): `softmax(W^s · dropout(x^s) + b^s)` over
 * `none` + the entity types; this returns the logits. Parameters
 * `linear.kernel` `[inputDim, numTypes + 1]`, `linear.bias`.
 * Registered as `"linear-entity-classifier.v1"`.
 *
 * ```ts
 * const classifier = new LinearEntityClassifier({ inputDim: head.outputDim, numTypes: 4 });
 * const logits = classifier.classify(reps, true); // [B, S, 5], class 0 = none
 * ```
 */
export class LinearEntityClassifier extends BaseModule implements EntityClassifier {
  static readonly kind = 'linear-entity-classifier.v1';
  readonly name = LinearEntityClassifier.kind;
  readonly inputDim: number;
  readonly numTypes: number;
  readonly outputDim: number;
  private readonly settings: Required<LinearEntityClassifierConfig>;
  private readonly linear: Dense;
  private readonly dropoutRng: Rng;

  constructor(config: LinearEntityClassifierConfig) {
    super();
    const kind = LinearEntityClassifier.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', c.inputDim),
      numTypes: checkPositiveInt(kind, 'numTypes', c.numTypes),
      seed: checkSeed(kind, c.seed ?? 0),
      dropout: checkRate(kind, 'dropout', c.dropout ?? 0.1),
      initStd: checkPositiveNumber(kind, 'initStd', c.initStd ?? 0.02),
    };
    const s = this.settings;
    this.inputDim = s.inputDim;
    this.numTypes = s.numTypes;
    this.outputDim = s.numTypes + 1;
    const rng = new Rng(s.seed);
    this.linear = this.addChild('linear', new Dense({ inputDim: s.inputDim, outputDim: this.outputDim, kernelInit: 'normal', initStd: s.initStd, seed: rng.seed() }));
    this.dropoutRng = new Rng(rng.seed());
  }

  config(): Required<LinearEntityClassifierConfig> {
    return { ...this.settings };
  }

  classify(spanReps: tf.Tensor3D, training: boolean): tf.Tensor3D {
    checkReps(this.name, spanReps, this.inputDim);
    return tf.tidy(() => this.linear.apply(dropout(spanReps, this.settings.dropout, this.dropoutRng, training)) as tf.Tensor3D); // [B, S, C]
  }
}

