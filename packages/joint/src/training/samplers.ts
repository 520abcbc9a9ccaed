/**
 * Sampling strategies: how the training targets of one batch are drawn from its
 * documents, one function per `training.sampling.strategy`. Adding a strategy
 * means adding its spec type (`config/joint-spec.ts`), its checks
 * (`config/check-spec.ts`) and one entry here.
 */
import type { Document, Rng, TypeSchema } from '@spanrel/datasets';
import type { JointSpec, NegativeSamplingSpec, SamplingSpec } from '../config/joint-spec.js';
import { allSpansBatch, sampleSpertBatch, type TrainingBatch } from './training-batch.js';

/** Draws a batch's targets for one sampling strategy; `rng()` gives the batch's generator (only strategies that draw call it). */
type Sampler<S extends SamplingSpec> = (docs: readonly Document[], schema: TypeSchema, sampling: S, spec: JointSpec, rng: () => Rng) => TrainingBatch;

const SAMPLERS: { [K in SamplingSpec['strategy']]: Sampler<Extract<SamplingSpec, { strategy: K }>> } = {
  /** SpERT: gold + a fixed number of negatives per sentence. */
  spert: (docs, schema, sampling, _spec, rng) => sampleSpertBatch(docs, schema, sampling, rng()),
  /** Ji 2020: gold + `ratio` x gold negatives per sentence. */
  ratio: (docs, schema, sampling, _spec, rng) => sampleSpertBatch(docs, schema, sampling, rng()),
  /** Dixit: every span up to the model's widest; nothing is drawn. */
  'all-spans': (docs, schema, _sampling, spec) => allSpansBatch(docs, schema, spec.maxSpanWidth),
};

/** The training targets of a batch under the spec's sampling strategy. */
export function sampleBatch(spec: JointSpec, schema: TypeSchema, docs: readonly Document[], rng: () => Rng): TrainingBatch {
  const sampling = spec.training.sampling;
  const sampler = SAMPLERS[sampling.strategy] as Sampler<SamplingSpec> | undefined;
  if (!sampler) throw new Error(`training.sampling.strategy "${String(sampling.strategy)}" is not known (known: ${Object.keys(SAMPLERS).join(', ')})`);
  return sampler(docs, schema, sampling, spec, rng);
}

/**
 * The negative sampling of a spec in the form `@spanrel/datasets` takes
 * (`sampleNegatives`, `computeStatistics({sampling})`), or null for a strategy
 * that draws no negatives (`all-spans`: every span is a sample).
 *
 * ```ts
 * const stats = computeStatistics(docs, schema, { sampling: negativeSamplingOf(preset('ji2020')) ?? undefined });
 * ```
 */
export function negativeSamplingOf(spec: JointSpec): NegativeSamplingSpec | null {
  const sampling = spec.training.sampling;
  return sampling.strategy === 'spert' || sampling.strategy === 'ratio' ? { ...sampling } : null;
}
