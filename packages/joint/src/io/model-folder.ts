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
import { formatTypeSchema } from '@spanrel/datasets';
import { saveSafetensors } from '@spanrel/tensor-core';
import type { JointModel } from '../model/joint-model.js';
import { MODEL_FORMAT, MODEL_FORMAT_VERSION } from '../model/model-config.js';
import { registerJointComponents } from '../model/register-components.js';
import { buildLoadedModel, MODEL_CONFIG_FILE, MODEL_ENCODER_DIR, MODEL_SCHEMA_FILE, MODEL_WEIGHTS_FILE, parseModelConfig } from './model-files.js';
import { replaceDirectory } from './replace-directory.js';

export { MODEL_CONFIG_FILE, MODEL_ENCODER_DIR, MODEL_SCHEMA_FILE, MODEL_WEIGHTS_FILE };

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

function readText(path: string, hint = ''): string {
  if (!existsSync(path)) throw new Error(`${path}: not found${hint}`);
  return readFileSync(path, 'utf8');
}

/**
 * Rebuilds a model saved by {@link saveModel}: reads `config.json`,
 * `schema.json` and the weights, and builds the encoder with `assetsDir` =
 * `encoder/` (so it needs no network), through the loading logic that
 * `loadModelFromFiles` / `loadModelFromUrl` use in a browser
 * (`buildLoadedModel`). Throws naming the file and every missing, unexpected or
 * mis-shaped tensor when the weights do not match the config.
 */
export async function loadModel(dir: string): Promise<JointModel> {
  registerJointComponents();
  const config = parseModelConfig(readText(join(dir, MODEL_CONFIG_FILE), ' (is the folder a spanrel model?)'), dir);
  const schema = readText(join(dir, MODEL_SCHEMA_FILE));
  const weightsPath = join(dir, MODEL_WEIGHTS_FILE);
  let weights: Uint8Array;
  try {
    weights = readFileSync(weightsPath);
  } catch (e) {
    throw new Error(`safetensors ${weightsPath}: cannot read (${(e as Error).message})`);
  }
  return buildLoadedModel({ location: dir, config, schema, weights }, { assetsDir: join(dir, MODEL_ENCODER_DIR) });
}
