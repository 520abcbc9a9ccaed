/**
 * Training checkpoints: a model folder plus what it takes to continue the run
 * exactly where it stopped.
 *
 * ```
 * <out>/checkpoint/                 (replaced atomically, see replaceDirectory)
 *   config.json, schema.json, encoder/, weights.safetensors   the model (see io/model-folder.ts)
 *   optimizer.safetensors           AdamW moments and step counters (AdamW.exportState)
 *   trainer-state.json              TrainerState: epoch, position in the epoch, step count,
 *                                   the epoch's running loss sums, best dev score, dropout generator states
 * ```
 */
import { existsSync, readFileSync } from 'node:fs';
import type * as tf from '@tensorflow/tfjs-core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { disposeNamedTensors, loadSafetensors, saveSafetensors, type AdamW } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import { loadModel, writeModelFiles } from '../io/model-folder.js';
import { recoverDirectory, replaceDirectory } from '../io/replace-directory.js';
import type { JointModel } from '../model/joint-model.js';
import type { DevScores } from './dev-evaluation.js';
import type { DecodeStats } from '../decoding/decode.js';
import { exportRngStates, importRngStates } from './rng-state.js';

export const CHECKPOINT_DIR = 'checkpoint';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const TRAINER_STATE_FILE = 'trainer-state.json';
const STATE_FORMAT = 'spanrel-trainer-state';

/** One line of the training log: what an epoch did. */
export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Optimizer steps in this epoch. */
  steps: number;
  /** Steps since the start of the run, after this epoch. */
  globalStep: number;
  /** Mean over the epoch's steps of the batch losses. */
  loss: number;
  entityLoss: number;
  relationLoss: number;
  /** The learning rate of the epoch's last step. */
  lr: number;
  /** Training seconds of the epoch (across interruptions), evaluation excluded. */
  trainSeconds: number;
  /** Seconds the dev evaluation took. */
  evalSeconds: number;
  /** Dev micro scores, or null without dev data. */
  dev: DevScores | null;
  /** What the span cap did in the dev evaluation (absent without dev data, and in logs written before it existed). */
  devDecoding?: DecodeStats;
  /** Whether this epoch's model became the best so far (and was saved). */
  best: boolean;
}

/** Everything besides weights and optimizer moments that a resumed run needs. */
export interface TrainerState {
  format: typeof STATE_FORMAT;
  version: 1;
  spec: JointSpec;
  /** Fingerprints of the training and dev documents (`documentsFingerprint`). */
  data: { train: string; dev: string };
  /** 0-based epoch in progress (equal to `spec.training.epochs` when done). */
  epoch: number;
  /** Batches of that epoch already trained on. */
  position: number;
  /** Optimizer steps made in the run. */
  globalStep: number;
  /** Running sums over the steps made so far in the epoch in progress. */
  epochSums: { loss: number; entityLoss: number; relationLoss: number; steps: number; seconds: number; lr: number };
  /** Selection key of the best dev evaluation, or null. */
  bestKey: [number, number] | null;
  /** 1-based epoch of the best model, or null. */
  bestEpoch: number | null;
  /** Dev evaluations since the best one (for early stopping). */
  evaluationsSinceBest: number;
  /** True when the run ended (all epochs, or early stopping). */
  finished: boolean;
  stoppedEarly: boolean;
  history: EpochRecord[];
  /** State of every dropout generator of the model, by path. */
  rngStates: Record<string, number>;
}

/** The objects whose dropout generators a checkpoint records. */
export function rngRoots(model: JointModel): Record<string, unknown> {
  const roots: Record<string, unknown> = { encoder: model.encoder, spanHead: model.spanHead, entityClassifier: model.entityClassifier, relationHead: model.relationHead };
  // STSN's parts (the attention units' dropout), only when present so other models' checkpoints keep their paths.
  if (model.tokenInteraction) roots.tokenInteraction = model.tokenInteraction;
  if (model.tagger) roots.tagger = model.tagger;
  return roots;
}

/** A fresh state for a new run. */
export function initialTrainerState(spec: JointSpec, data: { train: string; dev: string }): TrainerState {
  return {
    format: STATE_FORMAT,
    version: 1,
    spec,
    data,
    epoch: 0,
    position: 0,
    globalStep: 0,
    epochSums: { loss: 0, entityLoss: 0, relationLoss: 0, steps: 0, seconds: 0, lr: 0 },
    bestKey: null,
    bestEpoch: null,
    evaluationsSinceBest: 0,
    finished: false,
    stoppedEarly: false,
    history: [],
    rngStates: {},
  };
}

/** Writes `<out>/checkpoint` atomically: the model, the optimizer state and `state` (with the model's dropout generator states). */
export async function writeCheckpoint(outDir: string, model: JointModel, optimizer: AdamW, state: TrainerState): Promise<void> {
  state.rngStates = exportRngStates(rngRoots(model));
  await replaceDirectory(join(outDir, CHECKPOINT_DIR), async (tmp) => {
    await writeModelFiles(model, tmp);
    const moments = optimizer.exportState();
    try {
      await saveSafetensors(join(tmp, OPTIMIZER_FILE), moments);
    } finally {
      disposeNamedTensors(moments);
    }
    await writeFile(join(tmp, TRAINER_STATE_FILE), JSON.stringify(state));
  });
}

/** Whether `<out>` holds a checkpoint (moving back one a crash left aside). */
export async function hasCheckpoint(outDir: string): Promise<boolean> {
  const dir = join(outDir, CHECKPOINT_DIR);
  return (await recoverDirectory(dir)) && existsSync(join(dir, TRAINER_STATE_FILE));
}

/** Reads `<out>/checkpoint/trainer-state.json`. */
export function readTrainerState(outDir: string): TrainerState {
  const path = join(outDir, CHECKPOINT_DIR, TRAINER_STATE_FILE);
  let state: TrainerState;
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as TrainerState;
  } catch (e) {
    throw new Error(`${path}: cannot read the trainer state (${(e as Error).message})`);
  }
  if (state?.format !== STATE_FORMAT || state.version !== 1) throw new Error(`${path}: not a ${STATE_FORMAT} v1 file`);
  return state;
}

/**
 * Rebuilds the model of a checkpoint, puts its dropout generators back in the
 * saved state, and returns it with the saved optimizer state (tensors the caller
 * disposes after `AdamW.importState`).
 */
export async function loadCheckpoint(outDir: string, state: TrainerState): Promise<{ model: JointModel; optimizerState: Map<string, tf.Tensor> }> {
  const dir = join(outDir, CHECKPOINT_DIR);
  const model = await loadModel(dir);
  try {
    importRngStates(rngRoots(model), state.rngStates, join(dir, TRAINER_STATE_FILE));
    const { tensors } = await loadSafetensors(join(dir, OPTIMIZER_FILE));
    return { model, optimizerState: tensors };
  } catch (e) {
    model.dispose();
    throw e;
  }
}
