import * as tf from '@tensorflow/tfjs-core';
import { BaseModule, Rng } from '@spanrel/tensor-core';
import { BertEmbeddings } from './bert-embeddings.js';
import { BertLayer } from './bert-layer.js';
import { distinctLayerCount, layerSchedule, type BertArchitecture } from './hf-config.js';

/** Dropout rates of a {@link BertModel} (from `config.json` unless overridden). */
export interface BertDropout {
  /** After the embeddings and after each sub-layer's output projection. */
  hidden: number;
  /** On the attention weights. */
  attention: number;
}

/**
 * The BERT / ALBERT transformer: sub-word ids in, last-layer states out.
 * Parameters `embeddings.*` and `layers.<k>.*`, one `layers.<k>` per distinct
 * layer (ALBERT shares them across depths: see {@link layerSchedule}).
 */
export class BertModel extends BaseModule {
  readonly name = 'bert-model';
  readonly arch: BertArchitecture;
  readonly embeddings: BertEmbeddings;
  readonly layers: BertLayer[];
  private readonly schedule: number[];

  constructor(arch: BertArchitecture, dropoutRates: BertDropout, seed: number) {
    super();
    this.arch = arch;
    const rng = new Rng(seed);
    this.embeddings = this.addChild('embeddings', new BertEmbeddings(arch, dropoutRates.hidden, new Rng(rng.seed())));
    this.layers = Array.from({ length: distinctLayerCount(arch) }, (_, k) => this.addChild(`layers.${k}`, new BertLayer(arch, dropoutRates, rng.seed())));
    this.schedule = layerSchedule(arch);
  }

  config(): object {
    return { ...this.arch };
  }

  /**
   * @param inputIds int32 `[B, N]`, N <= `arch.maxPositions`
   * @param attentionMask float32 `[B, N]`, 1 = real sub-word, 0 = padding
   * @param training enables dropout
   * @returns `[B, N, D]` last hidden layer
   */
  apply(inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const length = inputIds.shape[1];
    if (length > this.arch.maxPositions) {
      throw new Error(`bert-encoder: ${length} sub-words exceed the model's ${this.arch.maxPositions} positions (max_position_embeddings)`);
    }
    return tf.tidy(() => {
      let h = this.embeddings.apply(inputIds, training); // [B, N, D]
      for (const k of this.schedule) h = this.layers[k].apply(h, attentionMask, training); // [B, N, D]
      return h;
    });
  }
}
