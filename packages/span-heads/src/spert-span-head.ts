import type * as tf from '@tensorflow/tfjs-core';
import { spanMaxPool } from '@spanrel/tensor-core';
import { BaseSpanHead } from './base-span-head.js';
import type { SpanHeadBaseConfig, SpanPoolInput } from './span-head.js';

/** Config of {@link SpertSpanHead}: only the shared fields (defaults: `widthDim` 25, `useCls` true, `widthDropout` 0). */
export type SpertSpanHeadConfig = SpanHeadBaseConfig;

/**
 * SpERT's span representation (Eberts & Ulges 2019, Eqs. 1-2):
 * `x^s = [maxpool(e_i .. e_{i+k}); w_{k+1}; c]`: the max over the span's word
 * states, a learned width embedding (25) and the `[CLS]` vector.
 *
 * `relationDim` covers `e(s) = [maxpool; width]` (Eq. 1), which SpERT's relation
 * classifier uses; `[CLS]` only feeds the entity classifier. SpERT applies its
 * dropout (0.1) in the classifiers, not here. Registered as `"spert-span-head.v1"`.
 *
 * ```ts
 * const head = new SpertSpanHead({ inputDim: 768 });      // outputDim 768 + 25 + 768
 * const reps = head.embed(enc, spans, spanMask, true);     // [B, S, 1561]
 * const forRelations = head.relationFeatures(reps);        // [B, S, 793]
 * ```
 */
export class SpertSpanHead extends BaseSpanHead {
  static readonly kind = 'spert-span-head.v1';
  readonly name = SpertSpanHead.kind;

  constructor(config: SpertSpanHeadConfig) {
    super(SpertSpanHead.kind, config, { widthDim: 25, widthDropout: 0, useCls: true }, []);
  }

  get poolDim(): number {
    return this.inputDim;
  }

  config(): Required<SpertSpanHeadConfig> {
    return this.baseConfig();
  }

  protected pool({ enc, spans, maxWidth }: SpanPoolInput): tf.Tensor3D {
    return spanMaxPool(enc.hidden, spans, maxWidth); // [B, S, D]; an empty span -> 0
  }
}
