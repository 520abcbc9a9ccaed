/**
 * The encoder contract: what every encoder returns and what heads consume. It
 * lives in tensor-core (no runtime code, types only) so span and relation heads
 * can import it without depending on @spanrel/encoders and its transformers.js
 * / ONNX dependencies; @spanrel/encoders re-exports it unchanged.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/index.js';

/** A batch of word-tokenized sentences: `tokens[b]` are the words of sentence b. */
export interface WordBatch {
  tokens: string[][];
}

/** What every encoder returns for a batch of B sentences padded to T words. */
export interface EncoderOutput {
  /** [B, T, D] word-level states (D = `outputDim`); padding rows are 0. */
  hidden: tf.Tensor3D;
  /** [B, T] float32, 1 = real word, 0 = padding. */
  mask: tf.Tensor2D;
  /** [B, D] a sentence vector ([CLS] for transformers, pooled states otherwise). */
  cls: tf.Tensor2D;
  /** [B, T, E] fixed word vectors, when the encoder has them (the Dixit head attends over them). */
  wordVectors?: tf.Tensor3D;
}

/**
 * Turns word-tokenized sentences into word-level states. Implementations own
 * their tokenisation (characters, vocabulary, sub-words) and pool sub-words to
 * words, so every head downstream sees one state per word.
 */
export interface Encoder extends Module {
  /** D of `hidden` and `cls`. */
  readonly outputDim: number;
  /** E of `wordVectors`, when the encoder returns them. */
  readonly wordVectorDim?: number;
  /**
   * When false the encoder is frozen: its variables are marked `trainable = false`, so
   * optimizers skip them; `parameters()` still lists them, for saving.
   */
  trainable: boolean;
  /** Encodes a batch; `training` turns dropout on. The caller disposes the returned tensors (or calls inside tf.tidy). */
  encode(batch: WordBatch, training: boolean): EncoderOutput;
  /**
   * Writes what the encoder needs besides its weights (vocabulary, tokenizer
   * files, vectors) into `dir`, so a saved model loads with no network. The
   * encoder's config, plus `{assetsDir: dir}`, rebuilds it through the registry.
   */
  saveAssets(dir: string): Promise<void>;
}
