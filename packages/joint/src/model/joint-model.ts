import type * as tf from '@tensorflow/tfjs-core';
import type { Document, TypeSchema } from '@spanrel/datasets';
import type { Encoder } from '@spanrel/encoders';
import type { RelationHead } from '@spanrel/relation-heads';
import type { EntityClassifier, SpanHead, StsnTagger, StsnTokenInteraction } from '@spanrel/span-heads';
import { collectParameters } from '@spanrel/tensor-core';
import { decodeDocuments, type SentenceInput } from '../decoding/decode.js';
import { DEFAULT_KEPT_SPANS_PER_WORD, DEFAULT_MIN_KEPT_SPANS, MODEL_FORMAT, MODEL_FORMAT_VERSION, type DecodingSettings, type JointModelConfig } from './model-config.js';
import { predictWithTags, type PredictOptions, type TaggedDocument } from './predict-with-tags.js';

/** The components of a {@link JointModel}: four, plus STSN's token interaction and tagger (both or neither). */
export interface JointModelParts {
  encoder: Encoder;
  spanHead: SpanHead;
  entityClassifier: EntityClassifier;
  relationHead: RelationHead;
  /** STSN: word states -> label / entity / relation views. */
  tokenInteraction?: StsnTokenInteraction;
  /** STSN: tags the label view; its label embeddings join the entity and relation views the heads read. */
  tagger?: StsnTagger;
}

/**
 * How the relation head's logits are read: one sigmoid per type (`multi-label`,
 * SpERT; trained with binary cross-entropy, decoded with a threshold) or a
 * softmax over `none` + the types (`softmax`, Dixit; cross-entropy, argmax).
 */
export type RelationMode = 'multi-label' | 'softmax';

/**
 * The joint entity and relation model: an encoder (word states), a span head
 * (span representations), an entity classifier (`none` + entity types per span)
 * and a relation head (relation types per ordered span pair), composed as in
 * SpERT and Dixit & Al-Onaizan:
 *
 * - inference ({@link JointModel.predict}): every span up to `maxSpanWidth`
 *   words is classified, spans whose best class is not `none` are kept, every
 *   ordered pair of kept spans is scored (in chunks), and relations are read by
 *   threshold or argmax;
 * - training: `sampledTrainingLoss` / `allSpansTrainingLoss` (in `training/`) run
 *   the same components on sampled spans and pairs, with the loss strategy of
 *   the spec (`training/loss-strategy.ts`).
 *
 * STSN models (Ji et al.) add a token interaction and a tagger between the
 * encoder and the heads: the span head embeds spans over the entity view and
 * the relation head scores pairs over the relation view (`model/decoder-views.ts`).
 *
 * Parameters are named `encoder.*`, `spanHead.*`, `entityClassifier.*`,
 * `relationHead.*` (and `tokenInteraction.*`, `tagger.*`). Build one with `buildModel` (from a spec and the training
 * data) or `loadModel` (from a folder written by `saveModel`).
 */
export class JointModel {
  readonly encoder: Encoder;
  readonly spanHead: SpanHead;
  readonly entityClassifier: EntityClassifier;
  readonly relationHead: RelationHead;
  /** STSN's token interaction (null for the other systems: the heads read the encoder's states). */
  readonly tokenInteraction: StsnTokenInteraction | null;
  /** STSN's tagger (null when there is no token interaction). */
  readonly tagger: StsnTagger | null;
  /** Entity class `k >= 1` is `schema.entities[k - 1]`; relation type `r` is `schema.relations[r]`. */
  readonly schema: TypeSchema;
  readonly decoding: DecodingSettings;
  readonly relationMode: RelationMode;

  constructor(parts: JointModelParts, schema: TypeSchema, decoding: DecodingSettings) {
    const { encoder, spanHead, entityClassifier, relationHead } = parts;
    const tokenInteraction = parts.tokenInteraction ?? null;
    const tagger = parts.tagger ?? null;
    const problems: string[] = [];
    if ((tokenInteraction === null) !== (tagger === null)) problems.push('STSN needs both a token interaction and a tagger');
    if (tokenInteraction && tokenInteraction.inputDim !== encoder.outputDim) problems.push(`token interaction inputDim ${tokenInteraction.inputDim} != encoder outputDim ${encoder.outputDim}`);
    if (tokenInteraction && tagger && tagger.inputDim !== tokenInteraction.outputDim) problems.push(`tagger inputDim ${tagger.inputDim} != token interaction outputDim ${tokenInteraction.outputDim}`);
    // The heads read the tagger's decoder views when there is one, else the encoder's states.
    const decoderDim = tagger ? tagger.outputDim : encoder.outputDim;
    const decoderName = tagger ? 'tagger outputDim' : 'encoder outputDim';
    if (spanHead.inputDim !== decoderDim) problems.push(`span head inputDim ${spanHead.inputDim} != ${decoderName} ${decoderDim}`);
    if (entityClassifier.inputDim !== spanHead.outputDim) problems.push(`entity classifier inputDim ${entityClassifier.inputDim} != span head outputDim ${spanHead.outputDim}`);
    if (entityClassifier.numTypes !== schema.entities.length) problems.push(`entity classifier numTypes ${entityClassifier.numTypes} != ${schema.entities.length} entity types in the schema`);
    if (relationHead.inputDim !== spanHead.relationDim) problems.push(`relation head spanDim ${relationHead.inputDim} != span head relationDim ${spanHead.relationDim}`);
    if (relationHead.contextDim !== decoderDim) problems.push(`relation head contextDim ${relationHead.contextDim} != ${decoderName} ${decoderDim}`);
    if (relationHead.numTypes !== schema.relations.length) problems.push(`relation head numTypes ${relationHead.numTypes} != ${schema.relations.length} relation types in the schema`);
    const entityTypesOfRelationHead = (relationHead.config() as { numEntityTypes?: unknown }).numEntityTypes; // heads with entity-type features
    if (typeof entityTypesOfRelationHead === 'number' && entityTypesOfRelationHead !== schema.entities.length) {
      problems.push(`relation head numEntityTypes ${entityTypesOfRelationHead} != ${schema.entities.length} entity types in the schema`);
    }
    if (problems.length > 0) throw new Error(`JointModel: the components do not fit together: ${problems.join('; ')}`);
    if (relationHead.outputDim === relationHead.numTypes) this.relationMode = 'multi-label';
    else if (relationHead.outputDim === relationHead.numTypes + 1) this.relationMode = 'softmax';
    else throw new Error(`JointModel: relation head ${relationHead.name} has outputDim ${relationHead.outputDim}; expected numTypes (${relationHead.numTypes}) or numTypes + 1`);
    this.encoder = encoder;
    this.spanHead = spanHead;
    this.entityClassifier = entityClassifier;
    this.relationHead = relationHead;
    this.tokenInteraction = tokenInteraction;
    this.tagger = tagger;
    this.schema = structuredClone(schema);
    // A model saved before span pruning existed (no `keptSpansPerWord`) decodes with the default cap.
    this.decoding = {
      ...decoding,
      keptSpansPerWord: decoding.keptSpansPerWord === undefined ? DEFAULT_KEPT_SPANS_PER_WORD : decoding.keptSpansPerWord,
      minKeptSpans: decoding.minKeptSpans ?? DEFAULT_MIN_KEPT_SPANS,
      // A model saved before this setting keeps overlapping entities, as it did then.
      entityOverlap: decoding.entityOverlap ?? 'allow',
    };
  }

  /** Every variable of the model, by `component.param` name (the variables themselves). */
  parameters(): Map<string, tf.Variable> {
    return collectParameters({
      encoder: this.encoder,
      spanHead: this.spanHead,
      entityClassifier: this.entityClassifier,
      relationHead: this.relationHead,
      ...(this.tokenInteraction && this.tagger ? { tokenInteraction: this.tokenInteraction, tagger: this.tagger } : {}),
    });
  }

  /** The plain-JSON config that, with the schema, the encoder's assets and the weights, rebuilds this model. */
  config(): JointModelConfig {
    const component = (m: { name: string; config(): object }) => ({ name: m.name, config: structuredClone(m.config()) as Record<string, unknown> });
    return {
      format: MODEL_FORMAT,
      version: MODEL_FORMAT_VERSION,
      ...this.decoding,
      encoder: component(this.encoder),
      spanHead: component(this.spanHead),
      entityClassifier: component(this.entityClassifier),
      relationHead: component(this.relationHead),
      ...(this.tokenInteraction && this.tagger ? { tokenInteraction: component(this.tokenInteraction), tagger: component(this.tagger) } : {}),
    };
  }

  /**
   * Entities and relations of each sentence (inference path, no dropout), as
   * documents in the SpERT JSON model: each input's `id` and `tokens` (and
   * `docKey`, `sentenceIndex`, `extra` when present), the kept
   * spans as entities (sorted by position), relations between them (a symmetric
   * type with its earlier argument first, once). Sentences without words get
   * no annotations.
   *
   * With `{ withTags: true }` (STSN models: it throws for a model without a
   * tagger), each document also carries `tags`, the extended BIO tag the tagger
   * predicted for each of its words (`O`, `B-Peop`, `B-Loc/I-Org`, ...: those
   * whose label embeddings the heads read), from the same forward pass.
   * With `{ stats }`, what the span cap did is added to it (see `DecodeStats`).
   */
  predict(sentences: readonly SentenceInput[], options: PredictOptions & { withTags: true }): TaggedDocument[];
  predict(sentences: readonly SentenceInput[], options?: PredictOptions): Document[];
  predict(sentences: readonly SentenceInput[], options: PredictOptions = {}): Document[] | TaggedDocument[] {
    return options.withTags ? predictWithTags(this, sentences, options.stats) : decodeDocuments(this, sentences, options.stats);
  }

  /** Frees every variable of the model. */
  dispose(): void {
    const parts = [this.encoder, this.spanHead, this.entityClassifier, this.relationHead, this.tokenInteraction, this.tagger];
    for (const part of parts as ({ dispose?: () => void } | null)[]) part?.dispose?.();
  }
}
