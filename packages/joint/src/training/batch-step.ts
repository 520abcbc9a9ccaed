/**
 * One optimizer step on a training batch: the losses and gradients of the
 * batch, then clipping and the optimizer update. `train` runs
 * {@link localBatchStep} (this thread) unless given another {@link BatchStep},
 * e.g. the data-parallel one of `@spanrel/joint/parallel` (`gradientWorkers`),
 * which computes the gradients of shards of the batch on worker threads and
 * applies them here, with the same optimizer.
 */
import { trainStep, type AdamW } from '@spanrel/tensor-core';
import type { JointSpec } from '../config/joint-spec.js';
import type { JointModel } from '../model/joint-model.js';
import type { TrainingBatch } from './training-batch.js';
import { trainingLosses } from './training-loss.js';

/** The losses of one step (the objective and the two task losses), as numbers. */
export interface StepLosses {
  loss: number;
  entityLoss: number;
  relationLoss: number;
}

/** What a step needs besides the model and the batch. */
export interface BatchStepContext {
  /** The run's spec (`training`: sampling, reduction, loss, clipping). */
  spec: JointSpec;
  /** The optimizer of the run's trainable parameters (its state stays on this thread). */
  optimizer: AdamW;
  /** Steps done before this one in the run (0-based number of this step). */
  globalStep: number;
}

/** One optimizer step on `batch` (see the file comment); returns its losses. */
export type BatchStep = (model: JointModel, batch: TrainingBatch, context: BatchStepContext) => StepLosses | Promise<StepLosses>;

/** The clipping option of `trainStep` / `AdamW.step` for a spec's `training.clipNorm`. */
export function clipOption(spec: JointSpec): { clip?: number } {
  return spec.training.clipNorm === null ? {} : { clip: spec.training.clipNorm };
}

/** {@link BatchStep} on this thread: tensor-core's `trainStep` over the batch's losses. */
export const localBatchStep: BatchStep = (model, batch, { spec, optimizer }) => {
  const t = spec.training;
  const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
  let parts = [0, 0];
  const loss = trainStep(
    model.parameters(),
    () => {
      const losses = trainingLosses(model, batch, sampling, t.lossReduction, t.loss);
      parts = [losses.entityLoss.dataSync()[0], losses.relationLoss.dataSync()[0]];
      return losses.loss;
    },
    optimizer,
    clipOption(spec),
  );
  return { loss, entityLoss: parts[0], relationLoss: parts[1] };
};
