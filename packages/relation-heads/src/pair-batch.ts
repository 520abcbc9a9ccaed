import * as tf from '@tensorflow/tfjs-core';
import { betweenSpansMask } from '@spanrel/tensor-core';
import { zeroMaskedRows } from '@spanrel/tensor-core';

/**
 * Relation candidates of a batch: ordered pairs of spans, as indices into a
 * span axis K (usually the kept spans, `gatherKeptSpans` in `@spanrel/span-heads`).
 */
export interface PairBatch {
  /** int32 `[B, P, 2]`: (first argument, second argument) as indices in `[0, K)`; padding pairs are `(0, 0)`. */
  pairs: tf.Tensor3D;
  /** float32 `[B, P]`, 1 = a real pair. */
  pairMask: tf.Tensor2D;
  /**
   * float32 `[B, P, T]`, 1 = a word strictly between the two spans (SpERT's localized
   * context): empty for adjacent, overlapping, nested or padding pairs; the same for `(a, b)` and `(b, a)`.
   */
  contextMask: tf.Tensor3D;
  /** int32 `[B, K, 2]`: the `[start, end)` bounds of the K spans the pairs index (for distance features). */
  spans: tf.Tensor3D;
  /** Optional int32 `[B, K]`: each span's entity class (0 = none), for heads that use entity types (type x distance, label embeddings). */
  spanLabels?: tf.Tensor2D;
}

/** Options of {@link allPairs} and {@link pairsToBatch}. */
export interface PairBatchOptions {
  /** int32 `[B, K]` entity classes of the spans, carried along in the batch (not copied). */
  spanLabels?: tf.Tensor2D;
  /**
   * `false`: `contextMask` is all zeros, not the words between the spans (for a
   * head whose `readsContext` is false: the `[B, P, T]` comparisons are skipped).
   * Default true. {@link allPairs} only.
   */
  context?: boolean;
}

function checkSpans(op: string, spans: tf.Tensor3D, seqLen: number): void {
  if (spans.dtype !== 'int32' || spans.rank !== 3 || spans.shape[2] !== 2) {
    throw new Error(`${op}: spans must be int32 [B, K, 2], got ${spans.dtype} [${spans.shape.join(', ')}]`);
  }
  if (!Number.isInteger(seqLen) || seqLen < 1) throw new Error(`${op}: seqLen must be a positive integer (T of the encoder states), got ${seqLen}`);
}

/**
 * Every ordered pair `(i, j)`, `i != j`, of the real spans of each sentence
 * (Dixit section 3.3, SpERT `S x S` at inference), built with tensor ops only.
 *
 * P = K (K - 1) (at least 1): pairs come in the order `(0,1), (0,2), ..., (1,0), (1,2), ...`;
 * a pair is real when both of its spans are. With fewer than two spans the
 * batch holds one padding pair `(0, 0)`.
 *
 * ```ts
 * const kept = gatherKeptSpans(head.relationFeatures(reps), spans, filterSpans(logits, spanMask).indices);
 * const pairs = allPairs(kept.spans, kept.mask, enc.hidden.shape[1]);
 * const logits = relationHead.score(enc, kept.reps, pairs, false);
 * ```
 *
 * @param spans int32 `[B, K, 2]` span bounds
 * @param spanMask `[B, K]`, non-zero = a real span
 * @param seqLen T, the padded sentence length of the encoder states
 */
export function allPairs(spans: tf.Tensor3D, spanMask: tf.Tensor2D, seqLen: number, options: PairBatchOptions = {}): PairBatch {
  checkSpans('allPairs', spans, seqLen);
  const [batchSize, numSpans] = spans.shape; // B, K
  if (spanMask.rank !== 2 || spanMask.shape[0] !== batchSize || spanMask.shape[1] !== numSpans) {
    throw new Error(`allPairs: spanMask must be [B=${batchSize}, K=${numSpans}], got [${spanMask.shape.join(', ')}]`);
  }
  if (numSpans < 2) {
    return {
      pairs: tf.zeros([batchSize, 1, 2], 'int32') as tf.Tensor3D, // [B, 1, 2]
      pairMask: tf.zeros([batchSize, 1]) as tf.Tensor2D, // [B, 1]
      contextMask: tf.zeros([batchSize, 1, seqLen]) as tf.Tensor3D, // [B, 1, T]
      spans,
      ...(options.spanLabels ? { spanLabels: options.spanLabels } : {}),
    };
  }
  const numPairs = numSpans * (numSpans - 1); // P
  const built = tf.tidy(() => {
    const slot = tf.range(0, numPairs, 1, 'int32'); // [P]
    const others = tf.scalar(numSpans - 1, 'int32');
    const first = tf.floorDiv(slot, others); // [P] i
    const rest = tf.mod(slot, others); // [P] position among the K - 1 spans != i
    const second = tf.add(rest, tf.cast(tf.greaterEqual(rest, first), 'int32')); // [P] j, skipping i
    const pairs = tf.broadcastTo(tf.stack([first, second], 1), [batchSize, numPairs, 2]) as tf.Tensor3D; // [B, P, 2]
    const real = tf.cast(tf.notEqual(spanMask, tf.scalar(0, spanMask.dtype)), 'float32'); // [B, K]
    const pairMask = tf.mul(tf.gather(real, first, 1), tf.gather(real, second, 1)) as tf.Tensor2D; // [B, P]
    const contextMask = options.context === false ? (tf.zeros([batchSize, numPairs, seqLen]) as tf.Tensor3D) : zeroMaskedRows(betweenSpansMask(spans, pairs, seqLen), pairMask); // [B, P, T]
    return { pairs, pairMask, contextMask };
  });
  return { ...built, spans, ...(options.spanLabels ? { spanLabels: options.spanLabels } : {}) };
}

/**
 * Packs per-sentence lists of pairs (training samples: gold relations plus
 * sampled negatives, as SpERT draws them) into a {@link PairBatch}. P is the
 * longest list (at least 1); shorter lists are padded with masked `(0, 0)` pairs.
 *
 * ```ts
 * const batch = pairsToBatch(goldSpans, [[[0, 1], [1, 0]], [[2, 0]]], T);
 * ```
 *
 * @param spans int32 `[B, K, 2]` span bounds
 * @param pairLists `pairLists[b]` = `[first, second]` indices in `[0, K)` of sentence b's pairs
 * @param seqLen T
 */
export function pairsToBatch(
  spans: tf.Tensor3D,
  pairLists: ReadonlyArray<ReadonlyArray<readonly [number, number]>>,
  seqLen: number,
  options: PairBatchOptions = {},
): PairBatch {
  checkSpans('pairsToBatch', spans, seqLen);
  const [batchSize, numSpans] = spans.shape; // B, K
  if (pairLists.length !== batchSize) throw new Error(`pairsToBatch: pairLists has ${pairLists.length} sentences, spans has B=${batchSize}`);
  const numPairs = Math.max(1, ...pairLists.map((list) => list.length)); // P
  const flatPairs = new Int32Array(batchSize * numPairs * 2);
  const flatMask = new Float32Array(batchSize * numPairs);
  pairLists.forEach((list, b) =>
    list.forEach((pair, p) => {
      pair.forEach((index, side) => {
        if (!Number.isInteger(index) || index < 0 || index >= numSpans) {
          throw new Error(`pairsToBatch: pairLists[${b}][${p}] = ${JSON.stringify(pair)}: index ${index} is not a span index in [0, ${numSpans})`);
        }
        flatPairs[(b * numPairs + p) * 2 + side] = index;
      });
      flatMask[b * numPairs + p] = 1;
    }),
  );
  const built = tf.tidy(() => {
    const pairs = tf.tensor3d(flatPairs, [batchSize, numPairs, 2], 'int32'); // [B, P, 2]
    const pairMask = tf.tensor2d(flatMask, [batchSize, numPairs]); // [B, P]
    const contextMask = zeroMaskedRows(betweenSpansMask(spans, pairs, seqLen), pairMask); // [B, P, T]
    return { pairs, pairMask, contextMask };
  });
  return { ...built, spans, ...(options.spanLabels ? { spanLabels: options.spanLabels } : {}) };
}

/** Frees the tensors a builder made (`pairs`, `pairMask`, `contextMask`), leaving the caller's `spans` / `spanLabels` alone. */
export function disposePairBatch(batch: PairBatch): void {
  tf.dispose([batch.pairs, batch.pairMask, batch.contextMask]);
}
