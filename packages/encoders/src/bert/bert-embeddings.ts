import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Dense, dropout, Embedding, LayerNorm, Rng } from '@spanrel/tensor-core';
import type { BertArchitecture } from './hf-config.js';

/**
 * BERT's input layer: word + position + token-type embeddings, LayerNorm,
 * dropout; for ALBERT, then a projection from `embeddingSize` to `hiddenSize`
 * (transformers keeps that projection in the encoder as
 * `embedding_hidden_mapping_in`; it runs at the same point).
 *
 * Parameters: `word.weight [V, E]`, `position.weight [P, E]`,
 * `tokenType.weight [types, E]`, `norm.gamma|beta [E]`, and for ALBERT
 * `projection.kernel [E, D]`, `projection.bias [D]`.
 */
export class BertEmbeddings extends BaseModule {
  readonly name = 'bert-embeddings';
  readonly word: Embedding;
  readonly position: Embedding;
  readonly tokenType: Embedding;
  readonly norm: LayerNorm;
  readonly projection: Dense | null;

  constructor(
    private readonly arch: BertArchitecture,
    private readonly dropoutRate: number,
    private readonly dropoutRng: Rng,
  ) {
    super();
    const e = arch.embeddingSize;
    // The weights come from a checkpoint; the initialisers (BERT's normal(0.02)) only matter for a config-only build.
    this.word = this.addChild('word', new Embedding({ numEmbeddings: arch.vocabSize, dim: e, init: 'normal', initStd: 0.02, seed: 1 }));
    this.position = this.addChild('position', new Embedding({ numEmbeddings: arch.maxPositions, dim: e, init: 'normal', initStd: 0.02, seed: 2 }));
    this.tokenType = this.addChild('tokenType', new Embedding({ numEmbeddings: arch.typeVocabSize, dim: e, init: 'normal', initStd: 0.02, seed: 3 }));
    this.norm = this.addChild('norm', new LayerNorm({ dim: e, eps: arch.layerNormEps }));
    this.projection =
      arch.family === 'albert'
        ? this.addChild('projection', new Dense({ inputDim: e, outputDim: arch.hiddenSize, kernelInit: 'normal', initStd: 0.02, seed: 4 }))
        : null;
  }

  config(): object {
    return { ...this.arch };
  }

  /**
   * @param inputIds int32 `[B, N]` sub-word ids (N <= maxPositions)
   * @param training enables dropout
   * @returns `[B, N, D]`
   */
  apply(inputIds: tf.Tensor2D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      const [batchSize, length] = inputIds.shape; // B, N
      const positionIds = tf.expandDims(tf.range(0, length, 1, 'int32'), 0) as tf.Tensor2D; // [1, N]
      const typeIds = tf.zeros([batchSize, length], 'int32'); // [B, N] one segment: type 0
      const summed = tf.add(
        tf.add(this.word.apply(inputIds), this.tokenType.apply(typeIds)), // [B, N, E]
        this.position.apply(positionIds), // [1, N, E] broadcast over B
      ); // [B, N, E]
      const normed = dropout(this.norm.apply(summed), this.dropoutRate, this.dropoutRng, training); // [B, N, E]
      return (this.projection ? this.projection.apply(normed) : normed) as tf.Tensor3D; // [B, N, D]
    });
  }
}
