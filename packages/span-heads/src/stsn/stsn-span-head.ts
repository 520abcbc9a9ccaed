import * as tf from '@tensorflow/tfjs-core';
import { batchedIndexSelect } from '@spanrel/tensor-core';
import { BaseSpanHead } from '../base-span-head.js';
import type { SpanHeadBaseConfig, SpanPoolInput } from '../span-head.js';

/** Config of {@link StsnSpanHead}: only the shared fields (defaults: `widthDim` 150, `useCls` false, `widthDropout` 0). */
export type StsnSpanHeadConfig = SpanHeadBaseConfig;

/**
 * STSN's span representation (Ji et al., section 3.3, after Luan et al. 2018):
 * `E_s = [H_{E',i}; H_{E',i+j}; W_{j+1}]`: the states of the span's first and last
 * word (the last is inclusive: word `end - 1` of `[start, end)`) and a 150-dim
 * width embedding.
 *
 * The states are `enc.hidden`, which for STSN is not the encoder's output but a
 * decoder view with label embeddings: `StsnTagger.decoderInputs(...)` gives
 * `entity` (`[H_E^N; H_L'^N]`, for the entity classifier) and `relation`
 * (`[H_R^N; H_L'^N]`). The relation decoder's `E_s1`, `E_s2` are "obtained in the
 * same way" from the relation view, so one head embeds both (sharing the width
 * table): `head.embed(relation, keptSpans, keptMask, training)`.
 *
 * `relationDim === outputDim = 2 inputDim + widthDim`. Parameters `width.weight`.
 * Registered as `"stsn-span-head.v1"`.
 *
 * ```ts
 * const head = new StsnSpanHead({ inputDim: tagger.outputDim });   // 918: outputDim 2 * 918 + 150
 * const reps = head.embed(entity, spans, spanMask, true);           // [B, S, 1986]
 * ```
 */
export class StsnSpanHead extends BaseSpanHead {
  static readonly kind = 'stsn-span-head.v1';
  readonly name = StsnSpanHead.kind;

  constructor(config: StsnSpanHeadConfig) {
    super(StsnSpanHead.kind, config, { widthDim: 150, widthDropout: 0, useCls: false }, []);
  }

  get poolDim(): number {
    return 2 * this.inputDim;
  }

  config(): Required<StsnSpanHeadConfig> {
    return this.baseConfig();
  }

  protected pool({ enc, spans }: SpanPoolInput): tf.Tensor3D {
    const seqLen = enc.hidden.shape[1]; // T
    const lastWord = tf.scalar(seqLen - 1, 'int32');
    const clampWord = (t: tf.Tensor) => tf.minimum(tf.maximum(t, tf.scalar(0, 'int32')), lastWord); // padding spans may hold anything
    const starts = clampWord(tf.squeeze(tf.slice(spans, [0, 0, 0], [-1, -1, 1]), [2])); // [B, S]
    const lasts = clampWord(tf.sub(tf.squeeze(tf.slice(spans, [0, 0, 1], [-1, -1, 1]), [2]), tf.scalar(1, 'int32'))); // [B, S] inclusive end
    const startStates = batchedIndexSelect(enc.hidden, starts); // [B, S, D]
    const endStates = batchedIndexSelect(enc.hidden, lasts); // [B, S, D]
    return tf.concat([startStates, endStates], 2) as tf.Tensor3D; // [B, S, 2D]
  }
}
