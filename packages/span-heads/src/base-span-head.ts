import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { BaseModule, Embedding, Rng, dropout, toFloatMask } from '@spanrel/tensor-core';
import { checkSpanInputs } from './check-span-inputs.js';
import { checkBoolean, checkConfigObject, checkNonNegativeInt, checkPositiveInt, checkPositiveNumber, checkRate, checkSeed } from '@spanrel/tensor-core';
import { zeroMaskedRows } from '@spanrel/tensor-core';
import type { SpanHead, SpanHeadBaseConfig, SpanPoolInput } from './span-head.js';

/** The config fields every span head shares, as a subclass lists them among its known fields. */
export const SPAN_HEAD_BASE_FIELDS = ['inputDim', 'widthDim', 'numWidths', 'widthDropout', 'useCls', 'initStd', 'seed'] as const;

/** Default values a head passes for the shared fields (its paper's settings). */
export interface SpanHeadDefaults {
  widthDim: number;
  widthDropout: number;
  useCls: boolean;
}

/**
 * Owns what every span head shares, so a head writes only its own pooling:
 * input checks, the span-width embedding (plus its dropout), the optional
 * `[CLS]` context, concatenation and the masking of padding spans.
 *
 * `embed` returns `[pool(...); width embedding; cls]`, where a subclass
 * implements {@link BaseSpanHead.pool} (`[B, S, poolDim]`) and declares `poolDim`.
 *
 * Parameters: `width.weight` (`[numWidths, widthDim]`, when `widthDim > 0`) plus the subclass's.
 */
export abstract class BaseSpanHead extends BaseModule implements SpanHead {
  abstract readonly name: string;
  readonly inputDim: number;
  /** Settings of the shared fields, defaults filled in. */
  protected readonly base: Required<SpanHeadBaseConfig>;
  /** Seeds the subclass's weights (drawn after the width table's). */
  protected readonly initRng: Rng;
  /** Seeds every dropout of the head. */
  protected readonly dropoutRng: Rng;
  private readonly widthTable: Embedding | null;

  /**
   * @param kind the registry name (for error messages)
   * @param config the head's config
   * @param defaults the paper values of `widthDim`, `widthDropout`, `useCls`
   * @param ownFields the config fields the subclass adds (any other unknown field is an error)
   */
  protected constructor(kind: string, config: SpanHeadBaseConfig, defaults: SpanHeadDefaults, ownFields: readonly string[]) {
    super();
    const c = checkConfigObject(kind, config, [...SPAN_HEAD_BASE_FIELDS, ...ownFields]);
    this.base = {
      inputDim: checkPositiveInt(kind, 'inputDim', c.inputDim),
      widthDim: checkNonNegativeInt(kind, 'widthDim', c.widthDim ?? defaults.widthDim),
      numWidths: checkPositiveInt(kind, 'numWidths', c.numWidths ?? 100),
      widthDropout: checkRate(kind, 'widthDropout', c.widthDropout ?? defaults.widthDropout),
      useCls: checkBoolean(kind, 'useCls', c.useCls ?? defaults.useCls),
      initStd: checkPositiveNumber(kind, 'initStd', c.initStd ?? 0.02),
      seed: checkSeed(kind, c.seed ?? 0),
    };
    this.inputDim = this.base.inputDim;
    const rng = new Rng(this.base.seed);
    const widthSeed = rng.seed();
    this.initRng = new Rng(rng.seed());
    this.dropoutRng = new Rng(rng.seed());
    this.widthTable =
      this.base.widthDim > 0
        ? this.addChild('width', new Embedding({ numEmbeddings: this.base.numWidths, dim: this.base.widthDim, init: 'normal', initStd: this.base.initStd, seed: widthSeed }))
        : null;
  }

  /** Size of the subclass's pooled features (the first part of each representation). */
  abstract get poolDim(): number;

  get relationDim(): number {
    return this.poolDim + this.base.widthDim;
  }

  get outputDim(): number {
    return this.relationDim + (this.base.useCls ? this.inputDim : 0);
  }

  /** The shared fields with defaults filled in; a subclass's `config()` spreads this. */
  protected baseConfig(): Required<SpanHeadBaseConfig> {
    return { ...this.base };
  }

  /**
   * The head's own features for every span.
   *
   * @returns `[B, S, poolDim]`; values for padding spans are ignored (the base zeroes them)
   */
  protected abstract pool(input: SpanPoolInput): tf.Tensor3D;

  embed(enc: EncoderOutput, spans: tf.Tensor3D, spanMask: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const maxWidth = checkSpanInputs(this.name, this.inputDim, enc, spans, spanMask);
    const [batchSize, numSpans] = spanMask.shape; // B, S
    return tf.tidy(() => {
      const mask = toFloatMask(spanMask) as tf.Tensor2D; // [B, S] 0/1
      const parts: tf.Tensor[] = [this.pool({ enc, spans, spanMask: mask, maxWidth, training })]; // [B, S, poolDim]
      if (this.widthTable) parts.push(dropout(this.widthTable.apply(this.widthIds(spans)), this.base.widthDropout, this.dropoutRng, training)); // [B, S, widthDim]
      if (this.base.useCls) parts.push(tf.broadcastTo(tf.expandDims(enc.cls, 1), [batchSize, numSpans, this.inputDim])); // [B, S, D]
      const reps = parts.length === 1 ? parts[0] : tf.concat(parts, 2); // [B, S, outputDim]
      return zeroMaskedRows(reps as tf.Tensor3D, mask); // [B, S, outputDim] padding spans -> 0
    });
  }

  relationFeatures(reps: tf.Tensor3D): tf.Tensor3D {
    if (reps.rank !== 3 || reps.shape[2] !== this.outputDim) {
      throw new Error(`${this.name}: relationFeatures expects [B, S, outputDim=${this.outputDim}], got [${reps.shape.join(', ')}]`);
    }
    if (this.relationDim === this.outputDim) return reps;
    return tf.slice(reps, [0, 0, 0], [-1, -1, this.relationDim]); // [B, S, relationDim]
  }

  /** Row of the width table for each span: its width, clipped to `[0, numWidths - 1]`. int32 `[B, S]`. */
  private widthIds(spans: tf.Tensor3D): tf.Tensor2D {
    return tf.tidy(() => {
      const starts = tf.squeeze(tf.slice(spans, [0, 0, 0], [-1, -1, 1]), [2]); // [B, S]
      const ends = tf.squeeze(tf.slice(spans, [0, 0, 1], [-1, -1, 1]), [2]); // [B, S]
      const widths = tf.sub(ends, starts); // [B, S]
      return tf.minimum(tf.maximum(widths, tf.scalar(0, 'int32')), tf.scalar(this.base.numWidths - 1, 'int32')) as tf.Tensor2D; // [B, S]
    });
  }
}
