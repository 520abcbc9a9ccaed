/**
 * Loading a model from its files' contents: the one loading logic, which
 * `loadModel(dir)` (Node: read from disk) and `loadModelFromUrl` (browser:
 * fetched) both use. The folder's layout is in `model-folder.ts`.
 */
import { parseTypeSchema } from '@spanrel/datasets';
import { encoderAssetFileNames, loadEncoderModules, type AssetFiles, type Encoder, type EncoderAssetsLocation } from '@spanrel/encoders';
import type { RelationHead } from '@spanrel/relation-heads';
import type { EntityClassifier, SpanHead, StsnTagger, StsnTokenInteraction } from '@spanrel/span-heads';
import { assignParameters, decodeSafetensors, disposeNamedTensors, joinPath, registry } from '@spanrel/tensor-core';
import { JointModel } from '../model/joint-model.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION, type JointModelConfig } from '../model/model-config.js';
import { registerPortableComponents } from '../model/register-portable-components.js';

export const MODEL_CONFIG_FILE = 'config.json';
export const MODEL_SCHEMA_FILE = 'schema.json';
export const MODEL_ENCODER_DIR = 'encoder';
export const MODEL_WEIGHTS_FILE = 'weights.safetensors';

/** The contents of a model folder's files (see {@link loadModelFromFiles}). */
export interface ModelFiles {
  /** Where they come from (the folder's path or URL), named in errors. Default `"model"`. */
  location?: string;
  /** The text of `config.json`. */
  config: string;
  /** The text of `schema.json`. */
  schema: string;
  /** The bytes of `weights.safetensors`. */
  weights: ArrayBuffer | Uint8Array;
  /** The files of `encoder/` by path relative to it (`vocabulary.json`, ...): those `encoderAssetFileNames` lists. */
  encoder: ReadonlyMap<string, ArrayBuffer | Uint8Array> | Record<string, ArrayBuffer | Uint8Array>;
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Checks a parsed `config.json`; errors name `path` and the field. */
export function checkModelConfig(raw: unknown, path: string): JointModelConfig {
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
  if (c.entityOverlap !== undefined && c.entityOverlap !== 'allow' && c.entityOverlap !== 'flat') throw new Error(`${path}: "entityOverlap" must be "allow" or "flat", got ${JSON.stringify(c.entityOverlap)}`);
  return c as JointModelConfig;
}

/** The parsed and checked `config.json` text of the model at `location`. */
export function parseModelConfig(text: string, location: string): JointModelConfig {
  const path = joinPath(location, MODEL_CONFIG_FILE);
  return checkModelConfig(parseJson(text, path), path);
}

function bytesOf(data: ArrayBuffer | Uint8Array): Uint8Array {
  return data instanceof Uint8Array ? data : new Uint8Array(data);
}

/**
 * Rebuilds a model from its files' contents: components through the registry
 * from `config.json` (the encoder with its assets at `encoderAssets`), then the
 * weights. Throws naming the file and every missing, unexpected or mis-shaped
 * tensor when the weights do not match the config. What `loadModel` (Node) and
 * {@link loadModelFromFiles} share.
 */
export function buildLoadedModel(
  files: { location: string; config: JointModelConfig; schema: string; weights: Uint8Array },
  encoderAssets: EncoderAssetsLocation,
): JointModel {
  registerPortableComponents();
  const { location, config } = files;
  const configPath = joinPath(location, MODEL_CONFIG_FILE);
  const schema = parseTypeSchema(files.schema, joinPath(location, MODEL_SCHEMA_FILE));
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
    const encoder = build<Encoder>('encoder', encoderAssets);
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
      entityOverlap: config.entityOverlap,
    });
    const weightsPath = joinPath(location, MODEL_WEIGHTS_FILE);
    const { tensors } = decodeSafetensors(files.weights, { source: weightsPath });
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

/**
 * Rebuilds a model from the contents of its folder's files, with no file
 * system (a browser, a bundle, files from a database). Register any custom
 * component first, as for `loadModel`. A BERT encoder needs transformers.js
 * loaded first (`await loadEncoderModules(config.encoder)`, or `provideTransformers`
 * of @spanrel/encoders); {@link loadModelFromUrl} does that itself.
 *
 * ```ts
 * const model = loadModelFromFiles({ config, schema, weights, encoder: { 'vocabulary.json': vocabularyBytes } });
 * ```
 */
export function loadModelFromFiles(files: ModelFiles): JointModel {
  const location = files.location ?? 'model';
  const config = parseModelConfig(files.config, location);
  const entries = files.encoder instanceof Map ? [...files.encoder] : Object.entries(files.encoder);
  const assetFiles: AssetFiles = new Map(entries.map(([name, data]) => [name, bytesOf(data)]));
  return buildLoadedModel({ location, config, schema: files.schema, weights: bytesOf(files.weights) }, { assetsDir: joinPath(location, MODEL_ENCODER_DIR), assetFiles });
}

/** The `fetch` that {@link loadModelFromUrl} needs (the global one, or one that serves files another way). */
export type FetchFiles = (url: string) => Promise<{ ok: boolean; status: number; statusText: string; text(): Promise<string>; arrayBuffer(): Promise<ArrayBuffer> }>;

/**
 * Fetches a model folder served at `baseUrl` (e.g. next to the page:
 * `new URL('./model/', location.href)`) and rebuilds the model: config.json,
 * schema.json, weights.safetensors, and the encoder files `config.json` implies
 * (`encoderAssetFileNames`), and loads the modules the encoder needs
 * (`loadEncoderModules`: transformers.js for BERT, from where
 * `setTransformersLoader` of @spanrel/encoders says). Errors name the URL and the HTTP status.
 */
export async function loadModelFromUrl(baseUrl: string | URL, fetchFiles: FetchFiles = (url) => globalThis.fetch(url)): Promise<JointModel> {
  const base = new URL(baseUrl.toString().endsWith('/') ? baseUrl : `${baseUrl}/`);
  const get = async (name: string) => {
    const url = new URL(name, base).href;
    const response = await fetchFiles(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText} (is ${base.href} a spanrel model folder?)`);
    return response;
  };
  const location = base.href.replace(/\/$/, '');
  const [configText, schema, weights] = await Promise.all([
    get(MODEL_CONFIG_FILE).then((r) => r.text()),
    get(MODEL_SCHEMA_FILE).then((r) => r.text()),
    get(MODEL_WEIGHTS_FILE).then((r) => r.arrayBuffer()),
  ]);
  const config = parseModelConfig(configText, location);
  const names = encoderAssetFileNames(config.encoder);
  const [encoderFiles] = await Promise.all([
    Promise.all(names.map(async (name) => [name, await (await get(`${MODEL_ENCODER_DIR}/${name}`)).arrayBuffer()] as const)),
    loadEncoderModules(config.encoder),
  ]);
  return loadModelFromFiles({ location, config: configText, schema, weights, encoder: new Map(encoderFiles) });
}
