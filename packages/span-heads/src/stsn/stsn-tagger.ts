import * as tf from '@tensorflow/tfjs-core';
import type { EncoderOutput } from '@spanrel/tensor-core';
import { BaseModule, Dense, Embedding, Rng, maskedMax, zeroMaskedRows } from '@spanrel/tensor-core';
import { checkBoolean, checkConfigObject, checkNonNegativeInt, checkPositiveInt, checkPositiveNumber, checkSeed } from '@spanrel/tensor-core';
import type { StsnViews } from './stsn-attention-layer.js';
import { TagVocabulary } from './tag-vocabulary.js';

/** Config of {@link StsnTagger}. */
export interface StsnTaggerConfig {
  /** d, the size of the views (`StsnTokenInteraction.outputDim`). */
  inputDim: number;
  /** The tag vocabulary, by id (`TagVocabulary.tags`: `"O"` first). Kept in the config so a saved model carries it. */
  tags: readonly string[];
  /** Size of each tag's label embedding. Default 150 (STSN section 4.1). */
  labelDim?: number;
  /**
   * true (default): label embeddings are appended to the entity and relation views.
   * false: the "-LabelEmbedding" ablation (Table 4): the decoders see the views alone
   * (the tagger and its loss L_L stay).
   */
  labelEmbedding?: boolean;
  /** Std of the normal initialisers of the tag classifier's kernel and the label table. Default 0.02. */
  initStd?: number;
  /** Seed of the initial weights. Default 0. */
  seed?: number;
}

const FIELDS = ['inputDim', 'tags', 'labelDim', 'labelEmbedding', 'initStd', 'seed'] as const;

const shapeOf = (t: tf.Tensor): string => `[${t.shape.join(', ')}]`;

/**
 * STSN's decoder for sequence-tagging NER and its label embeddings (Ji et al., section 3.3):
 *
 * - tag logits `H_L^N W^L + b^L` over the l tags of a {@link TagVocabulary}
 *   (softmax them; `tagCrossEntropy` is the loss L_L over the real tokens);
 * - a label embedding (150) per tag, looked up for the **gold** tags while
 *   training and the **predicted** tags at inference, and appended to the entity
 *   and relation views: the decoders read `[H_E^N; H_L'^N]` and `[H_R^N; H_L'^N]`
 *   ({@link StsnTagger.decoderInputs}).
 *
 * Predicted tags decode to entities with `@spanrel/datasets`'
 * `extendedBioTagsToEntities` (see {@link StsnTagger.predictTags}).
 *
 * Parameters `classifier.kernel` `[inputDim, l]`, `classifier.bias`, and
 * `labels.weight` `[l, labelDim]` (when `labelEmbedding`). Registered as `"stsn-tagger.v1"`.
 *
 * ```ts
 * const tagger = new StsnTagger({ inputDim: 768, tags: vocab.tags });    // outputDim 768 + 150
 * const logits = tagger.logits(views.label);                             // [B, T, l]
 * const tagIds = training ? vocab.encodeBatch(goldTags, T) : tagger.predict(logits, enc.mask);
 * const { entity, relation } = tagger.decoderInputs(views, tagIds, enc.mask); // hidden [B, T, 918] each
 * ```
 */
export class StsnTagger extends BaseModule {
  static readonly kind = 'stsn-tagger.v1';
  readonly name = StsnTagger.kind;
  /** d of the views it reads. */
  readonly inputDim: number;
  /** Size of the decoder views: `inputDim + labelDim` (`inputDim` without label embeddings). */
  readonly outputDim: number;
  readonly vocabulary: TagVocabulary;
  private readonly settings: Required<StsnTaggerConfig>;
  private readonly classifier: Dense;
  private readonly labels: Embedding | null;

  constructor(config: StsnTaggerConfig) {
    super();
    const kind = StsnTagger.kind;
    const c = checkConfigObject(kind, config, FIELDS);
    this.vocabulary = new TagVocabulary(c.tags as readonly string[], `${kind}: config.tags`);
    this.settings = {
      inputDim: checkPositiveInt(kind, 'inputDim', c.inputDim),
      tags: [...this.vocabulary.tags],
      labelDim: checkNonNegativeInt(kind, 'labelDim', c.labelDim ?? 150),
      labelEmbedding: checkBoolean(kind, 'labelEmbedding', c.labelEmbedding ?? true),
      initStd: checkPositiveNumber(kind, 'initStd', c.initStd ?? 0.02),
      seed: checkSeed(kind, c.seed ?? 0),
    };
    const s = this.settings;
    if (s.labelEmbedding && s.labelDim === 0) throw new Error(`${kind}: config.labelDim must be positive when config.labelEmbedding is true`);
    this.inputDim = s.inputDim;
    this.outputDim = s.inputDim + (s.labelEmbedding ? s.labelDim : 0);
    const rng = new Rng(s.seed);
    const numTags = this.vocabulary.size;
    this.classifier = this.addChild('classifier', new Dense({ inputDim: s.inputDim, outputDim: numTags, kernelInit: 'normal', initStd: s.initStd, seed: rng.seed() }));
    const labelSeed = rng.seed();
    this.labels = s.labelEmbedding ? this.addChild('labels', new Embedding({ numEmbeddings: numTags, dim: s.labelDim, init: 'normal', initStd: s.initStd, seed: labelSeed })) : null;
  }

  /** l, the number of tags. */
  get numTags(): number {
    return this.vocabulary.size;
  }

  /** Size of the appended label embeddings (0 without them). */
  get labelDim(): number {
    return this.labels ? this.settings.labelDim : 0;
  }

  config(): Required<StsnTaggerConfig> {
    return { ...this.settings, tags: [...this.settings.tags] };
  }

  /**
   * @param label `[B, T, inputDim]`, H_L^N
   * @returns tag logits `[B, T, l]` (padding tokens get logits too, which the loss and `predict` mask)
   */
  logits(label: tf.Tensor3D): tf.Tensor3D {
    if (label.rank !== 3 || label.shape[2] !== this.inputDim) throw new Error(`${this.name}: label view must be [B, T, inputDim=${this.inputDim}], got ${shapeOf(label)}`);
    return this.classifier.apply(label) as tf.Tensor3D; // [B, T, l]
  }

  /**
   * The most probable tag of every token (ties go to the lower id).
   *
   * @param logits `[B, T, l]`
   * @param mask `[B, T]`, non-zero = a real token
   * @returns int32 `[B, T]` tag ids; 0 (`"O"`) at padding tokens
   */
  predict(logits: tf.Tensor3D, mask: tf.Tensor2D): tf.Tensor2D {
    this.checkTokens(logits, mask, 'logits', this.numTags);
    return tf.tidy(() => {
      const best = tf.cast(tf.argMax(logits, -1), 'int32'); // [B, T]
      return tf.where(tf.notEqual(mask, tf.scalar(0, mask.dtype)), best, tf.zerosLike(best)) as tf.Tensor2D; // [B, T]
    });
  }

  /**
   * The predicted tags of each sentence as strings, real tokens only; decode them
   * to entities with `extendedBioTagsToEntities(tags)` (or `bioTagsToEntities`)
   * from `@spanrel/datasets`. One read-back of `[B, T]`.
   *
   * @param logits `[B, T, l]`
   * @param mask `[B, T]`, non-zero = a real token
   */
  predictTags(logits: tf.Tensor3D, mask: tf.Tensor2D): string[][] {
    const ids = this.predict(logits, mask);
    const [values, real] = [ids.arraySync(), mask.arraySync()];
    ids.dispose();
    return values.map((row, b) => row.flatMap((id, t) => (real[b][t] !== 0 ? [this.vocabulary.tag(id)] : [])));
  }

  /**
   * Label embeddings of the given tags (gold while training, predicted at inference).
   *
   * @param tagIds int32 `[B, T]` in `[0, l)` (padding entries may hold any id in range)
   * @param mask `[B, T]`, non-zero = a real token
   * @returns `[B, T, labelDim]`; 0 at padding tokens
   */
  labelEmbeddings(tagIds: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor3D {
    if (!this.labels) throw new Error(`${this.name}: built with config.labelEmbedding = false, so it has no label embeddings`);
    this.checkTagIds(tagIds, mask);
    const labels = this.labels;
    return tf.tidy(() => zeroMaskedRows(labels.apply(tagIds) as tf.Tensor3D, mask)); // [B, T, labelDim]
  }

  /**
   * The decoders' inputs, as encoder outputs so the span and relation heads take
   * them like any encoder's: `hidden` = `[H_E^N; label emb]` (entity) and
   * `[H_R^N; label emb]` (relation), `[B, T, outputDim]`, 0 at padding tokens;
   * `mask` is the given mask; `cls` `[B, outputDim]` is the max over the real
   * tokens of `hidden` (the 0 vector for a sentence without tokens).
   *
   * @param views the interaction's output (only `entity` and `relation` are read)
   * @param tagIds int32 `[B, T]`, gold tags while training, `predict(...)` at inference (ignored without label embeddings)
   * @param mask `[B, T]`, non-zero = a real token
   */
  decoderInputs(views: StsnViews, tagIds: tf.Tensor2D, mask: tf.Tensor2D): { entity: EncoderOutput; relation: EncoderOutput } {
    for (const view of [views.entity, views.relation]) this.checkTokens(view, mask, 'views.entity / views.relation', this.inputDim);
    if (this.labels) this.checkTagIds(tagIds, mask);
    const [entityHidden, entityCls, relationHidden, relationCls] = tf.tidy(() => {
      const labels = this.labels ? this.labelEmbeddings(tagIds, mask) : null; // [B, T, labelDim]
      return [views.entity, views.relation].flatMap((view) => {
        const hidden = zeroMaskedRows(labels ? (tf.concat([view, labels], 2) as tf.Tensor3D) : view, mask); // [B, T, outputDim]
        return [hidden, maskedMax(hidden, mask, 1)]; // [B, T, outputDim], [B, outputDim]
      });
    });
    return {
      entity: { hidden: entityHidden as tf.Tensor3D, mask, cls: entityCls as tf.Tensor2D },
      relation: { hidden: relationHidden as tf.Tensor3D, mask, cls: relationCls as tf.Tensor2D },
    };
  }

  private checkTokens(x: tf.Tensor3D, mask: tf.Tensor2D, what: string, dim: number): void {
    if (x.rank !== 3 || x.shape[2] !== dim) throw new Error(`${this.name}: ${what} must be [B, T, ${dim}], got ${shapeOf(x)}`);
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new Error(`${this.name}: mask must be [B=${x.shape[0]}, T=${x.shape[1]}], got ${shapeOf(mask)}`);
    }
  }

  /** Shape, dtype and (one scalar read-back) range of tag ids. */
  private checkTagIds(tagIds: tf.Tensor2D, mask: tf.Tensor2D): void {
    if (tagIds.dtype !== 'int32' || tagIds.rank !== 2 || tagIds.shape[0] !== mask.shape[0] || tagIds.shape[1] !== mask.shape[1]) {
      throw new Error(`${this.name}: tagIds must be int32 [B=${mask.shape[0]}, T=${mask.shape[1]}], got ${tagIds.dtype} ${shapeOf(tagIds)}`);
    }
    const bad = tf.tidy(() => tf.any(tf.logicalOr(tf.less(tagIds, 0), tf.greaterEqual(tagIds, this.numTags))).dataSync()[0]);
    if (bad) throw new Error(`${this.name}: tagIds hold an id outside [0, ${this.numTags}) (the tag vocabulary)`);
  }
}
