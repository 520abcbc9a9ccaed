/**
 * What `spanrel report` says about a model folder, read without loading any
 * weights: its components (config.json), its label schema, and, when the
 * folder belongs to a training run (`spanrel train --out DIR` writes DIR/model/,
 * DIR/run.json and DIR/train-log.jsonl), the preset and the training log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readTypeSchema, type TypeSchema } from '@spanrel/datasets';
import { BEST_MODEL_DIR, MODEL_CONFIG_FILE, MODEL_SCHEMA_FILE, RUN_SPEC_FILE, TRAIN_LOG_FILE } from '@spanrel/joint';
import { parseTrainingLog, type TrainingEpoch } from '@spanrel/report';
import { resolveModelDir } from './model-runtime.js';

export interface ModelFolderInfo {
  /** The model folder itself (`--model`, or its `model/`). */
  modelDir: string;
  /** The training run's folder, or null when the model is not inside one. */
  runDir: string | null;
  schema: TypeSchema;
  encoder: string | null;
  /** `encoder + span head + entity classifier + relation head`. */
  components: string | null;
  preset: string | null;
  /** The epochs of the run's `train-log.jsonl`, or null without a run. */
  trainingLog: TrainingEpoch[] | null;
}

function readJson(path: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

const nameOf = (part: unknown): string | null => (typeof (part as { name?: unknown })?.name === 'string' ? (part as { name: string }).name : null);

/** The training run a model folder belongs to: the folder that holds a training log and the model as its `model/`, or `--model` itself. */
function findRunDir(flag: string, modelDir: string): string | null {
  if (existsSync(join(flag, TRAIN_LOG_FILE))) return flag;
  if (basename(modelDir) === BEST_MODEL_DIR && existsSync(join(dirname(modelDir), TRAIN_LOG_FILE))) return dirname(modelDir);
  return null;
}

/** Reads what the report shows about the model of `--model` (a model folder, or a training run's `--out` folder). */
export function readModelFolderInfo(flag: string): ModelFolderInfo {
  const modelDir = resolveModelDir(flag);
  const config = readJson(join(modelDir, MODEL_CONFIG_FILE));
  const parts = [config.encoder, config.spanHead, config.entityClassifier, config.relationHead].map(nameOf);
  const runDir = findRunDir(flag, modelDir);
  let preset: string | null = null;
  let trainingLog: TrainingEpoch[] | null = null;
  if (runDir) {
    const specPath = join(runDir, RUN_SPEC_FILE);
    if (existsSync(specPath)) {
      const spec = readJson(specPath);
      preset = typeof spec.preset === 'string' ? spec.preset : null;
    }
    const logPath = join(runDir, TRAIN_LOG_FILE);
    trainingLog = parseTrainingLog(readFileSync(logPath, 'utf8'), logPath);
  }
  return {
    modelDir,
    runDir,
    schema: readTypeSchema(join(modelDir, MODEL_SCHEMA_FILE)),
    encoder: parts[0]!,
    components: parts.every((p) => p !== null) ? parts.join(' + ') : null,
    preset,
    trainingLog,
  };
}
