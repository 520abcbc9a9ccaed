import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { BaseModule, Rng } from '@spanrel/tensor-core';
import { checkConfigObject, checkPositiveInt, checkSeed } from '@spanrel/tensor-core';
import type { PairBatch } from './pair-batch.js';
import type { RelationHead, RelationHeadBaseConfig, RelationPrediction } from './relation-head.js';
import { zeroMaskedRows } from '@spanrel/tensor-core';

/** The config fields every relation head shares, as a subclass lists them among its known fields. */
export const RELATION_HEAD_BASE_FIELDS = ['spanDim', 'contextDim', 'numTypes', 'maxPairs', 'seed'] as const;

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * Owns what every relation head shares, so a head writes only how it scores a
 * chunk of pairs ({@link BaseRelationHead.scoreChunk}, same arguments as `score`):
 *
 * - input checks, including that every real pair indexes one of the K spans;
 * - mask hygiene: the context mask is limited to real pairs and real words;
 * - chunking: P pairs are scored `maxPairs` at a time (each chunk in its own
 *   `tf.tidy`, so at inference the intermediates of one chunk are freed before
 *   the next; under a gradient tape they are kept, as for any op);
 * - padding pairs get exactly-0 logits.
 */
export abstract class BaseRelationHead extends BaseModule implements RelationHead {
  abstract readonly name: string;
  abstract readonly outputDim: number;
  readonly inputDim: number;
  readonly contextDim: number;
  readonly numTypes: number;
  readonly maxPairs: number;
  /** See `RelationHead.readsContext`; a head that never reads `pairs.contextMask` overrides it with `false`. */
  readonly readsContext: boolean = true;
  /** Settings of the shared fields, defaults filled in. */
  protected readonly base: Required<RelationHeadBaseConfig>;
  /** Seeds the subclass's weights. */
  protected readonly initRng: Rng;
  /** Seeds every dropout of the head. */
  protected readonly dropoutRng: Rng;

  /**
   * @param kind the registry name (for error messages)
   * @param ownFields the config fields the subclass adds (any other unknown field is an error)
   */
  protected constructor(kind: string, config: RelationHeadBaseConfig, ownFields: readonly string[]) {
    super();
    const c = checkConfigObject(kind, config, [...RELATION_HEAD_BASE_FIELDS, ...ownFields]);
    this.base = {
      spanDim: checkPositiveInt(kind, 'spanDim', c.spanDim),
      contextDim: checkPositiveInt(kind, 'contextDim', c.contextDim),
      numTypes: checkPositiveInt(kind, 'numTypes', c.numTypes),
      maxPairs: checkPositiveInt(kind, 'maxPairs', c.maxPairs ?? 1000),
      seed: checkSeed(kind, c.seed ?? 0),
    };
    this.inputDim = this.base.spanDim;
    this.contextDim = this.base.contextDim;
    this.numTypes = this.base.numTypes;
    this.maxPairs = this.base.maxPairs;
    const rng = new Rng(this.base.seed);
    this.initRng = new Rng(rng.seed());
    this.dropoutRng = new Rng(rng.seed());
  }

  /** The shared fields with defaults filled in; a subclass's `config()` spreads this. */
  protected baseConfig(): Required<RelationHeadBaseConfig> {
    return { ...this.base };
  }

  /**
   * Logits for one chunk of pairs. `pairs` holds the chunk's `pairs [B, p, 2]`,
   * `pairMask [B, p]` (float 0/1) and `contextMask [B, p, T]` (already limited to
   * real pairs and words), plus the batch's `spans` / `spanLabels`.
   *
   * @returns `[B, p, outputDim]`; values of padding pairs are ignored (the base zeroes them)
   */
  protected abstract scoreChunk(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D;

  abstract predict(logits: tf.Tensor3D, pairs: PairBatch): RelationPrediction[][];

  score(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch, training: boolean): tf.Tensor3D {
    this.checkInputs(enc, spanReps, pairs);
    const [batchSize, numPairs] = pairs.pairMask.shape; // B, P
    if (numPairs === 0) return tf.zeros([batchSize, 0, this.outputDim]) as tf.Tensor3D; // [B, 0, outputDim]
    return tf.tidy(() => {
      const pairMask = tf.cast(tf.notEqual(pairs.pairMask, tf.scalar(0, pairs.pairMask.dtype)), 'float32') as tf.Tensor2D; // [B, P]
      const contextMask = this.readsContext ? realContextMask(pairs.contextMask, enc.mask, pairMask) : pairs.contextMask; // [B, P, T]
      const safePairs = tf.where(tf.cast(tf.expandDims(pairMask, 2), 'bool'), pairs.pairs, tf.zerosLike(pairs.pairs)) as tf.Tensor3D; // [B, P, 2] padding -> (0, 0)
      const clean: PairBatch = { ...pairs, pairs: safePairs, pairMask, contextMask };
      if (numPairs <= this.maxPairs) return zeroMaskedRows(this.scoreChunk(enc, spanReps, clean, training), pairMask); // [B, P, outputDim]
      const chunks: tf.Tensor3D[] = [];
      for (let start = 0; start < numPairs; start += this.maxPairs) {
        const size = Math.min(this.maxPairs, numPairs - start); // p
        chunks.push(
          tf.tidy(() => {
            const chunk: PairBatch = {
              ...clean,
              pairs: tf.slice(safePairs, [0, start, 0], [-1, size, -1]), // [B, p, 2]
              pairMask: tf.slice(pairMask, [0, start], [-1, size]), // [B, p]
              contextMask: tf.slice(contextMask, [0, start, 0], [-1, size, -1]), // [B, p, T]
            };
            return this.scoreChunk(enc, spanReps, chunk, training); // [B, p, outputDim]
          }),
        );
      }
      return zeroMaskedRows(tf.concat(chunks, 1) as tf.Tensor3D, pairMask); // [B, P, outputDim]
    });
  }

  /** Shapes, dtypes, and (one scalar read-back) that real pairs index real span positions. */
  private checkInputs(enc: EncoderOutput, spanReps: tf.Tensor3D, pairs: PairBatch): void {
    const kind = this.name;
    const { hidden, mask } = enc;
    if (hidden.rank !== 3 || hidden.shape[2] !== this.contextDim) {
      throw new Error(`${kind}: enc.hidden must be [B, T, contextDim=${this.contextDim}], got ${shapeOf(hidden)}`);
    }
    const [batchSize, seqLen] = hidden.shape; // B, T
    if (mask.rank !== 2 || mask.shape[0] !== batchSize || mask.shape[1] !== seqLen) {
      throw new Error(`${kind}: enc.mask must be [B=${batchSize}, T=${seqLen}], got ${shapeOf(mask)}`);
    }
    if (spanReps.rank !== 3 || spanReps.shape[0] !== batchSize || spanReps.shape[2] !== this.inputDim) {
      throw new Error(`${kind}: spanReps must be [B=${batchSize}, K, spanDim=${this.inputDim}], got ${shapeOf(spanReps)}`);
    }
    const numSpans = spanReps.shape[1]; // K
    const { pairs: pairIndex, pairMask, contextMask } = pairs;
    if (pairIndex.dtype !== 'int32' || pairIndex.rank !== 3 || pairIndex.shape[0] !== batchSize || pairIndex.shape[2] !== 2) {
      throw new Error(`${kind}: pairs.pairs must be int32 [B=${batchSize}, P, 2], got ${pairIndex.dtype} ${shapeOf(pairIndex)}`);
    }
    const numPairs = pairIndex.shape[1]; // P
    if (pairMask.rank !== 2 || pairMask.shape[0] !== batchSize || pairMask.shape[1] !== numPairs) {
      throw new Error(`${kind}: pairs.pairMask must be [B=${batchSize}, P=${numPairs}], got ${shapeOf(pairMask)}`);
    }
    if (contextMask.rank !== 3 || contextMask.shape[0] !== batchSize || contextMask.shape[1] !== numPairs || contextMask.shape[2] !== seqLen) {
      throw new Error(`${kind}: pairs.contextMask must be [B=${batchSize}, P=${numPairs}, T=${seqLen}], got ${shapeOf(contextMask)}`);
    }
    if (numSpans === 0) throw new Error(`${kind}: spanReps has no span (K = 0); pad to at least one masked span`);
    const outOfRange = tf.tidy(() => {
      const real = tf.expandDims(tf.notEqual(pairMask, tf.scalar(0, pairMask.dtype)), 2); // [B, P, 1]
      const bad = tf.logicalOr(tf.less(pairIndex, 0), tf.greaterEqual(pairIndex, numSpans)); // [B, P, 2]
      return tf.any(tf.logicalAnd(bad, real)).dataSync()[0]; // []
    });
    if (outOfRange) throw new Error(`${kind}: a real pair in pairs.pairs indexes a span outside [0, K=${numSpans})`);
  }
}

/** The context mask limited to real words and real pairs (float 0/1), whatever the caller's mask held there. `[B, P, T]`. */
function realContextMask(contextMask: tf.Tensor3D, wordMask: tf.Tensor2D, pairMask: tf.Tensor2D): tf.Tensor3D {
  const [batchSize, seqLen] = wordMask.shape; // B, T
  const words = tf.reshape(tf.cast(tf.notEqual(wordMask, tf.scalar(0, wordMask.dtype)), 'float32'), [batchSize, 1, seqLen]); // [B, 1, T]
  const realContext = tf.mul(tf.cast(tf.notEqual(contextMask, tf.scalar(0, contextMask.dtype)), 'float32'), words); // [B, P, T]
  return tf.mul(realContext, tf.expandDims(pairMask, 2)) as tf.Tensor3D; // [B, P, T]
}
