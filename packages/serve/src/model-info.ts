/** What `GET /model` answers: the types a model predicts and what it is made of. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EntityTypeDef, RelationTypeDef } from '@spanrel/datasets';
import { RUN_SPEC_FILE, type DecodingSettings, type JointModel } from '@spanrel/joint';

export interface ModelInfo {
  /** The preset the model was trained from (`run.json` of its training run), or null when unknown. */
  preset: string | null;
  encoder: { name: string; outputDim: number };
  spanHead: string;
  entityClassifier: string;
  relationHead: string;
  /** Whether the model tags words (STSN). */
  tagger: boolean;
  entityTypes: EntityTypeDef[];
  relationTypes: RelationTypeDef[];
  decoding: DecodingSettings;
}

/**
 * The preset named in the `run.json` that `spanrel train` writes next to the
 * model folder (`OUT/model` -> `OUT/run.json`) or in it; null when there is none.
 */
export function presetOfModelDir(modelDir: string): string | null {
  for (const path of [join(modelDir, RUN_SPEC_FILE), join(dirname(modelDir), RUN_SPEC_FILE)]) {
    if (!existsSync(path)) continue;
    try {
      const preset = (JSON.parse(readFileSync(path, 'utf8')) as { preset?: unknown }).preset;
      if (typeof preset === 'string') return preset;
    } catch {
      // A run.json that does not parse says nothing about the preset.
    }
  }
  return null;
}

export function modelInfo(model: JointModel, preset: string | null): ModelInfo {
  return {
    preset,
    encoder: { name: model.encoder.name, outputDim: model.encoder.outputDim },
    spanHead: model.spanHead.name,
    entityClassifier: model.entityClassifier.name,
    relationHead: model.relationHead.name,
    tagger: model.tagger !== null,
    entityTypes: structuredClone(model.schema.entities),
    relationTypes: structuredClone(model.schema.relations),
    decoding: { ...model.decoding },
  };
}
