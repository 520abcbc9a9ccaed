import type { Document, TypeSchema } from '@spanrel/datasets';
import { BertEncoder, BiLstmCharCnnEncoder, type Encoder } from '@spanrel/encoders';
import type { RelationHead } from '@spanrel/relation-heads';
import type { EntityClassifier, SpanHead } from '@spanrel/span-heads';
import { registry, Rng } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
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
async function buildEncoder(spec: JointSpec, trainDocs: readonly Document[], rng: Rng): Promise<Encoder> {
  const { name, vocabulary } = spec.encoder;
  const config = seeded(spec.encoder.config, rng);
  if (name === BiLstmCharCnnEncoder.kind) {
    if (trainDocs.length === 0) throw new Error('buildModel: the BiLSTM encoder builds its vocabulary from the training documents, and there are none');
    return BiLstmCharCnnEncoder.fromData(trainDocs, config, { lowercase: vocabulary.lowercase, minCount: vocabulary.minCount });
  }
  if (name === BertEncoder.kind) {
    const { model, ...rest } = config as { model?: unknown };
    if (typeof model !== 'string') throw new Error(`buildModel: encoder.config.model must name a BERT model folder or Hugging Face id, got ${JSON.stringify(model)}`);
    return BertEncoder.fromPretrained(model, rest);
  }
  return registry.build<Encoder>(name, config);
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
 * from `spec.seed`.
 *
 * @param trainDocs the training documents (the BiLSTM encoder's vocabulary is built from them)
 */
export async function buildModel(spec: JointSpec, schema: TypeSchema, trainDocs: readonly Document[]): Promise<JointModel> {
  registerJointComponents();
  if (schema.entities.length === 0) throw new Error('buildModel: the types file declares no entity types');
  if (schema.relations.length === 0) throw new Error('buildModel: the types file declares no relation types (a joint model needs at least one)');
  const rng = new Rng(spec.seed);
  const encoder = await buildEncoder(spec, trainDocs, rng);
  const built: { dispose?: () => void }[] = [encoder as { dispose?: () => void }];
  try {
    const spanConfig = seeded({ ...spec.spanHead.config, inputDim: encoder.outputDim }, rng);
    if (spanConfig.wordVectorDim === 'auto') spanConfig.wordVectorDim = encoder.wordVectorDim ?? null;
    const spanHead = registry.build<SpanHead>(spec.spanHead.name, spanConfig);
    built.push(spanHead as { dispose?: () => void });
    const entityClassifier = registry.build<EntityClassifier>(
      spec.entityClassifier.name,
      seeded({ ...spec.entityClassifier.config, inputDim: spanHead.outputDim, numTypes: schema.entities.length }, rng),
    );
    built.push(entityClassifier as { dispose?: () => void });
    const relationConfig = seeded({ ...spec.relationHead.config, spanDim: spanHead.relationDim, contextDim: encoder.outputDim, numTypes: schema.relations.length }, rng);
    if (relationConfig.numEntityTypes === 'auto') relationConfig.numEntityTypes = schema.entities.length;
    const relationHead = registry.build<RelationHead>(spec.relationHead.name, relationConfig);
    built.push(relationHead as { dispose?: () => void });
    return new JointModel({ encoder, spanHead, entityClassifier, relationHead }, schema, {
      maxSpanWidth: spec.maxSpanWidth,
      maxKeptSpans: spec.maxKeptSpans,
      decodeBatchSize: spec.decodeBatchSize,
    });
  } catch (e) {
    for (const part of built) part.dispose?.();
    throw e;
  }
}
