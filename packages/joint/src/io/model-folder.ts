/**
 * The model folder: everything needed to rebuild a trained model offline.
 *
 * ```
 * <dir>/config.json          JointModelConfig: components by registry name + config, decoding settings
 * <dir>/schema.json          the label schema, in the SpERT types-file format
 * <dir>/encoder/             the encoder's assets (vocabulary, tokenizer files, fixed vectors)
 * <dir>/weights.safetensors  every parameter, named encoder.* / spanHead.* / entityClassifier.* / relationHead.* (+ tokenInteraction.* / tagger.* for STSN)
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTypeSchema, parseTypeSchema } from '@spanrel/datasets';
import type { Encoder } from '@spanrel/encoders';
import type { RelationHead } from '@spanrel/relation-heads';
import type { EntityClassifier, SpanHead, StsnTagger, StsnTokenInteraction } from '@spanrel/span-heads';
import { assignParameters, disposeNamedTensors, loadSafetensors, registry, saveSafetensors } from '@spanrel/tensor-core';
import { JointModel } from '../model/joint-model.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type JointModelConfig } from '../model/model-config.js';
import { registerJointComponents } from '../model/register-components.js';
import { replaceDirectory } from './replace-directory.js';

export const MODEL_CONFIG_FILE = 'config.json';
export const MODEL_SCHEMA_FILE = 'schema.json';
export const MODEL_ENCODER_DIR = 'encoder';
export const MODEL_WEIGHTS_FILE = 'weights.safetensors';

/** Writes the model's files into `dir` (created if needed), without the atomic swap of {@link saveModel}. */
export async function writeModelFiles(model: JointModel, dir: string): Promise<void> {
  await mkdir(join(dir, MODEL_ENCODER_DIR), { recursive: true });
  await writeFile(join(dir, MODEL_CONFIG_FILE), `${JSON.stringify(model.config(), null, 2)}\n`);
  await writeFile(join(dir, MODEL_SCHEMA_FILE), formatTypeSchema(model.schema));
  await model.encoder.saveAssets(join(dir, MODEL_ENCODER_DIR));
  await saveSafetensors(join(dir, MODEL_WEIGHTS_FILE), model.parameters(), { format: MODEL_FORMAT, version: String(MODEL_FORMAT_VERSION) });
}

/**
 * Saves a model folder (see the layout at the top of this file), replacing any
 * folder at `dir` atomically: a crash never leaves half a model there.
 */
export async function saveModel(model: JointModel, dir: string): Promise<void> {
  await replaceDirectory(dir, (tmp) => writeModelFiles(model, tmp));
}

function readJson(path: string): unknown {
  if (!existsSync(path)) throw new Error(`${path}: not found (is the folder a spanrel model?)`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function checkModelConfig(raw: unknown, path: string): JointModelConfig {
  const c = raw as Partial<JointModelConfig> | null;
  if (typeof c !== 'object' || c === null || c.format !== MODEL_FORMAT) throw new Error(`${path}: "format" must be "${MODEL_FORMAT}"`);
  if (c.version !== MODEL_FORMAT_VERSION) throw new Error(`${path}: "version" ${JSON.stringify(c.version)} is not supported (this spanrel reads version ${MODEL_FORMAT_VERSION})`);
  for (const part of ['encoder', 'spanHead', 'entityClassifier', 'relationHead'] as const) {
    const spec = c[part];
    if (typeof spec?.name !== 'string' || typeof spec.config !== 'object' || spec.config === null) throw new Error(`${path}: "${part}" must be {"name": string, "config": object}`);
  }
  for (const part of ['tokenInteraction', 'tagger'] as const) {
    const spec = c[part];
    if (spec !== undefined && (typeof spec?.name !== 'string' || typeof spec.config !== 'object' || spec.config === null)) throw new Error(`${path}: "${part}" must be {"name": string, "config": object} when present`);
  }
  if ((c.tokenInteraction === undefined) !== (c.tagger === undefined)) throw new Error(`${path}: "tokenInteraction" and "tagger" go together (STSN)`);
  if (!Number.isInteger(c.maxSpanWidth) || c.maxSpanWidth! < 1) throw new Error(`${path}: "maxSpanWidth" must be a positive integer`);
  if (c.maxKeptSpans !== null && (!Number.isInteger(c.maxKeptSpans) || c.maxKeptSpans! < 1)) throw new Error(`${path}: "maxKeptSpans" must be a positive integer or null`);
  // Absent in models saved before span pruning: the defaults apply (JointModel).
  if (c.keptSpansPerWord !== undefined && c.keptSpansPerWord !== null && !(typeof c.keptSpansPerWord === 'number' && c.keptSpansPerWord > 0 && Number.isFinite(c.keptSpansPerWord))) {
    throw new Error(`${path}: "keptSpansPerWord" must be a positive number or null`);
  }
  if (c.minKeptSpans !== undefined && (!Number.isInteger(c.minKeptSpans) || c.minKeptSpans < 1)) throw new Error(`${path}: "minKeptSpans" must be a positive integer`);
  if (!Number.isInteger(c.decodeBatchSize) || c.decodeBatchSize! < 1) throw new Error(`${path}: "decodeBatchSize" must be a positive integer`);
  return c as JointModelConfig;
}

/**
 * Rebuilds a model saved by {@link saveModel}: components through the registry
 * from `config.json` (the encoder with `assetsDir` = `encoder/`, so it needs no
 * network), then the weights. Throws naming the file and every missing,
 * unexpected or mis-shaped tensor when the weights do not match the config.
 */
export async function loadModel(dir: string): Promise<JointModel> {
  registerJointComponents();
  const configPath = join(dir, MODEL_CONFIG_FILE);
  const config = checkModelConfig(readJson(configPath), configPath);
  const schemaPath = join(dir, MODEL_SCHEMA_FILE);
  if (!existsSync(schemaPath)) throw new Error(`${schemaPath}: not found`);
  const schema = parseTypeSchema(readFileSync(schemaPath, 'utf8'), schemaPath);
  const built: { dispose?: () => void }[] = [];
  const build = <M>(part: 'encoder' | 'spanHead' | 'entityClassifier' | 'relationHead' | 'tokenInteraction' | 'tagger', extra: object = {}): M => {
    const spec = config[part]!;
    try {
      const module = registry.build(spec.name, { ...spec.config, ...extra });
      built.push(module as { dispose?: () => void });
      return module as M;
    } catch (e) {
      throw new Error(`${configPath}: cannot build "${part}" (${spec.name}): ${(e as Error).message}`);
    }
  };
  try {
    const encoder = build<Encoder>('encoder', { assetsDir: join(dir, MODEL_ENCODER_DIR) });
    // STSN's parts (the tagger's config carries the tag vocabulary), built right after the encoder as
    // `buildModel` builds them: the same variable creation order keeps a resumed run bit-identical (tfjs
    // gradients come back keyed by variable id, so the global norm of clipping sums in creation order).
    const stsn =
      config.tokenInteraction && config.tagger
        ? { tokenInteraction: build<StsnTokenInteraction>('tokenInteraction'), tagger: build<StsnTagger>('tagger') }
        : {};
    const spanHead = build<SpanHead>('spanHead');
    const entityClassifier = build<EntityClassifier>('entityClassifier');
    const relationHead = build<RelationHead>('relationHead');
    const model = new JointModel({ encoder, spanHead, entityClassifier, relationHead, ...stsn }, schema, {
      maxSpanWidth: config.maxSpanWidth,
      maxKeptSpans: config.maxKeptSpans,
      keptSpansPerWord: config.keptSpansPerWord,
      minKeptSpans: config.minKeptSpans,
      decodeBatchSize: config.decodeBatchSize,
    });
    const weightsPath = join(dir, MODEL_WEIGHTS_FILE);
    const { tensors } = await loadSafetensors(weightsPath);
    try {
      assignParameters(model.parameters(), tensors, { source: weightsPath });
    } finally {
      disposeNamedTensors(tensors);
    }
    return model;
  } catch (e) {
    for (const part of built) part.dispose?.();
    throw e;
  }
}
