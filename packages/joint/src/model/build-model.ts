import { entitiesToExtendedBioTags, type Document, type TypeSchema } from '@spanrel/datasets';
import { BertEncoder, BiLstmCharCnnEncoder, type Encoder } from '@spanrel/encoders';
import type { RelationHead } from '@spanrel/relation-heads';
import { TagVocabulary, type EntityClassifier, type SpanHead, type StsnTagger, type StsnTokenInteraction } from '@spanrel/span-heads';
import { registry, Rng } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import { hasOverlappingEntities, type EntityOverlap } from '../decoding/non-overlapping-spans.js';
import { JointModel } from './joint-model.js';
import { registerJointComponents } from './register-components.js';

/** `config` with `seed` drawn from `rng` unless the config sets one (so every component gets its own stream). */
function seeded(config: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const seed = rng.seed();
  return { seed, ...config };
}

/**
 * Builds the encoder of a spec. The BiLSTM + char CNN encoder builds its
 * vocabularies from the training sentences (`spec.encoder.vocabulary`); a BERT
 * encoder loads its checkpoint (a local folder, or a Hugging Face id downloaded
 * once into the cache); any other registered encoder is built from its config.
 */
async function buildEncoder(spec: JointSpec, trainDocs: readonly Document[], vectorDocs: readonly Document[], rng: Rng): Promise<Encoder> {
  const { name, vocabulary } = spec.encoder;
  const config = seeded(spec.encoder.config, rng);
  if (name === BiLstmCharCnnEncoder.kind) {
    if (trainDocs.length === 0) throw new Error('buildModel: the BiLSTM encoder builds its vocabulary from the training documents, and there are none');
    return BiLstmCharCnnEncoder.fromData(trainDocs, config, { lowercase: vocabulary.lowercase, minCount: vocabulary.minCount, vectorSentences: vectorDocs });
  }
  if (name === BertEncoder.kind) {
    const { model, ...rest } = config as { model?: unknown };
    if (typeof model !== 'string') throw new Error(`buildModel: encoder.config.model must name a BERT model folder or Hugging Face id, got ${JSON.stringify(model)}`);
    return BertEncoder.fromPretrained(model, rest);
  }
  return registry.build<Encoder>(name, config);
}

/**
 * STSN's token interaction and tagger of a spec (both or neither): the
 * interaction reads the encoder's states (`inputDim`), the tagger its views
 * (`inputDim`) with the extended BIO tags of the training documents as its
 * vocabulary (`tags`; a spec that sets `tags` keeps them).
 */
function buildStsnParts(
  spec: JointSpec,
  encoderDim: number,
  trainDocs: readonly Document[],
  rng: Rng,
  built: { dispose?: () => void }[],
): { tokenInteraction?: StsnTokenInteraction; tagger?: StsnTagger } {
  if (!spec.tokenInteraction && !spec.tagger) return {};
  if (!spec.tokenInteraction || !spec.tagger) throw new Error('buildModel: STSN needs both tokenInteraction and tagger in the spec');
  const tokenInteraction = registry.build<StsnTokenInteraction>(spec.tokenInteraction.name, seeded({ ...spec.tokenInteraction.config, inputDim: encoderDim }, rng));
  built.push(tokenInteraction as { dispose?: () => void });
  const config = seeded({ ...spec.tagger.config, inputDim: tokenInteraction.outputDim }, rng);
  if (config.tags === undefined) {
    const sequences = trainDocs.map((doc, i) => {
      try {
        return entitiesToExtendedBioTags(doc.tokens.length, doc.entities);
      } catch (e) {
        throw new Error(`buildModel: document ${doc.id ?? i}: entities cannot be tagged for the STSN tagger: ${(e as Error).message}`);
      }
    });
    config.tags = [...TagVocabulary.fromTagSequences(sequences).tags];
  }
  const tagger = registry.build<StsnTagger>(spec.tagger.name, config);
  built.push(tagger as { dispose?: () => void });
  return { tokenInteraction, tagger };
}

/** A spec's `entityOverlap` for the model: `auto` (or absent) becomes `flat` when no training document has overlapping entities. */
export function resolveEntityOverlap(setting: JointSpec['entityOverlap'], trainDocs: readonly Document[]): EntityOverlap {
  if (setting === 'allow' || setting === 'flat') return setting;
  return trainDocs.some((doc) => hasOverlappingEntities(doc.entities)) ? 'allow' : 'flat';
}

/**
 * A fresh (untrained) {@link JointModel} for a spec and a label schema:
 * components are built through the registry by name from their configs, with
 * the dimensions that link them filled in (span head `inputDim` = encoder
 * `outputDim`; entity classifier `inputDim` = span head `outputDim` and
 * `numTypes` = entity types; relation head `spanDim` = span head `relationDim`,
 * `contextDim` = encoder `outputDim`, `numTypes` = relation types). A span-head
 * `wordVectorDim` of `"auto"` becomes the encoder's `wordVectorDim` (or null when
 * it has no fixed word vectors); a relation-head `numEntityTypes` of `"auto"`
 * becomes the number of entity types (the two-phase head's type x type x
 * distance table). Component seeds not set in the spec are drawn
 * from `spec.seed`. STSN specs (`tokenInteraction` + `tagger`) put the token
 * interaction and the tagger between the encoder and the heads, whose
 * `inputDim` / `contextDim` are then the tagger's `outputDim`; the tag
 * vocabulary is built from `trainDocs`.
 *
 * @param trainDocs the training documents (the BiLSTM encoder's vocabulary is built from them)
 * @param vectorDocs documents whose words also keep their fixed word vectors
 *   (dev, test, text to predict; only their tokens are read). Without them a
 *   fixed-vector BiLSTM encoder gives the zero vector to every word not seen in training.
 */
export async function buildModel(spec: JointSpec, schema: TypeSchema, trainDocs: readonly Document[], vectorDocs: readonly Document[] = []): Promise<JointModel> {
  registerJointComponents();
  if (schema.entities.length === 0) throw new Error('buildModel: the types file declares no entity types');
  if (schema.relations.length === 0) throw new Error('buildModel: the types file declares no relation types (a joint model needs at least one)');
  const rng = new Rng(spec.seed);
  const encoder = await buildEncoder(spec, trainDocs, vectorDocs, rng);
  const built: { dispose?: () => void }[] = [encoder as { dispose?: () => void }];
  try {
    const stsn = buildStsnParts(spec, encoder.outputDim, trainDocs, rng, built);
    const decoderDim = stsn.tagger ? stsn.tagger.outputDim : encoder.outputDim; // what the heads read
    const spanConfig = seeded({ ...spec.spanHead.config, inputDim: decoderDim }, rng);
    if (spanConfig.wordVectorDim === 'auto') spanConfig.wordVectorDim = encoder.wordVectorDim ?? null;
    const spanHead = registry.build<SpanHead>(spec.spanHead.name, spanConfig);
    built.push(spanHead as { dispose?: () => void });
    const entityClassifier = registry.build<EntityClassifier>(
      spec.entityClassifier.name,
      seeded({ ...spec.entityClassifier.config, inputDim: spanHead.outputDim, numTypes: schema.entities.length }, rng),
    );
    built.push(entityClassifier as { dispose?: () => void });
    const relationConfig = seeded({ ...spec.relationHead.config, spanDim: spanHead.relationDim, contextDim: decoderDim, numTypes: schema.relations.length }, rng);
    if (relationConfig.numEntityTypes === 'auto') relationConfig.numEntityTypes = schema.entities.length;
    const relationHead = registry.build<RelationHead>(spec.relationHead.name, relationConfig);
    built.push(relationHead as { dispose?: () => void });
    return new JointModel({ encoder, spanHead, entityClassifier, relationHead, ...stsn }, schema, {
      maxSpanWidth: spec.maxSpanWidth,
      maxKeptSpans: spec.maxKeptSpans,
      keptSpansPerWord: spec.keptSpansPerWord,
      minKeptSpans: spec.minKeptSpans,
      decodeBatchSize: spec.decodeBatchSize,
      entityOverlap: resolveEntityOverlap(spec.entityOverlap, trainDocs),
    });
  } catch (e) {
    for (const part of built) part.dispose?.();
    throw e;
  }
}
