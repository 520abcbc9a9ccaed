/**
 * Where a model spends its time: a few training steps and a few dev decode
 * batches run under `tf.profile`, summed by kernel (time, calls, share), with
 * kernel calls per sentence and the time outside kernels (wall minus kernel
 * time: JavaScript between kernels, sampling, read-backs, the fused optimizer,
 * and the profiler's own bookkeeping). `spanrel train ... --profile` prints it;
 * bench scripts call {@link profileTraining} / {@link profileKernels}.
 *
 * How tfjs reports kernels: every kernel run while profiling is one entry of
 * the profile's `kernels`, with `kernelTimeMs` measured by the backend's
 * `time()` around the kernel function (wasm and cpu: wall time of the
 * synchronous kernel; tf.profile awaits the promise, so it is a number by the
 * time the profile resolves; a backend without a timer may give `{error}`,
 * counted as 0 here). A custom-gradient op (`tf.customGrad`) is recorded as one
 * entry named after its scope, *and* its inner kernels are recorded too: those
 * entries (names that are not registered kernels of the backend) are listed as
 * scopes and left out of the kernel totals, so nothing is counted twice.
 * tfjs' NaN check of every kernel output while profiling is turned off for the
 * profile (it copies every output). The profiler still costs time (a record and
 * a promise per kernel): `unprofiledMs` gives the same work's wall time without it.
 *
 * ```ts
 * const profile = await profileTraining({ spec, schema, train: trainDocs, dev: devDocs, steps: 4, evalBatches: 4 });
 * console.log(formatModelProfile(profile, 15));
 * ```
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Document, TypeSchema } from '@spanrel/datasets';
import { trainStep, type AdamW } from '@spanrel/tensor-core';
import { checkSpec } from '../config/check-spec.js';
import type { JointSpec } from '../config/joint-spec.js';
import { emptyDecodeStats, type DecodeStats } from '../decoding/decode.js';
import { buildModel } from '../model/build-model.js';
import type { JointModel } from '../model/joint-model.js';
import { lossStrategy } from './loss-strategy.js';
import { makeOptimizer } from './make-optimizer.js';
import { epochBatches, trainingBatch } from './train.js';
import { trainingLosses } from './training-loss.js';

/** One kernel (or custom-gradient scope) summed over a profile. */
export interface KernelTime {
  name: string;
  /** Summed kernel time. */
  ms: number;
  calls: number;
  /** Share of the phase's kernel time, in percent (scopes: of the same total, though not part of it). */
  percent: number;
}

/** A profiled piece of work (training steps, or decode batches). */
export interface PhaseProfile {
  /** What ran: `train` or `eval` (or the caller's label). */
  phase: string;
  /** Sentences processed. */
  sentences: number;
  /** Wall time of the work under the profiler. */
  wallMs: number;
  /** Sum of the kernel times (scopes left out): the sum of `kernels[].ms`. */
  kernelMs: number;
  /** `wallMs - kernelMs`. */
  outsideMs: number;
  /** Kernel calls (scopes left out): the sum of `kernels[].calls`. */
  kernelCalls: number;
  /** `kernelCalls / sentences`. */
  callsPerSentence: number;
  /** Every kernel that ran, most time first. */
  kernels: KernelTime[];
  /** Custom-gradient scopes: their time includes their inner kernels, which are in `kernels`. */
  scopes: KernelTime[];
  /** Parts of the work timed on their own (e.g. `optimizer`): wall ms and the kernel ms inside it. */
  parts: Record<string, { wallMs: number; kernelMs: number }>;
}

/** What one `tf.profile` recorded, as {@link profileKernels} reads it. */
interface RawKernel {
  name: string;
  ms: number;
}

/** Kernel time of a profile entry: a number, or (a backend without a timer) `{error}`, counted as 0. */
async function kernelMsOf(value: unknown): Promise<number> {
  const v = await value; // tf.profile awaits it already; a promise is accepted all the same
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return 0;
}

/** Whether `name` is a kernel registered for the active backend (else: a custom-gradient scope). */
function isRegisteredKernel(name: string, backendName: string, cache: Map<string, boolean>): boolean {
  let known = cache.get(name);
  if (known === undefined) {
    known = name !== '' && tf.getKernel(name, backendName) !== undefined;
    cache.set(name, known);
  }
  return known;
}

/** Number of kernel entries recorded so far by the running `tf.profile` (tfjs engine state; 0 when unavailable). */
function recordedKernels(): number {
  const state = (tf.engine() as unknown as { state?: { activeProfile?: { kernels?: unknown[] } } }).state;
  return state?.activeProfile?.kernels?.length ?? 0;
}

/** Marks a part of the profiled work: `mark('optimizer', () => ...)` times it on its own. */
export type MarkPart = <T>(part: string, fn: () => T) => T;

/** Profiled work: runs, and returns the number of sentences it processed. */
export type ProfiledWork = (mark: MarkPart) => number | Promise<number>;

/** Runs `work` under the profiler, timing parts it marks with `mark(part, fn)`. */
async function profileRaw(
  work: ProfiledWork,
): Promise<{ sentences: number; wallMs: number; kernels: RawKernel[]; parts: Record<string, { wallMs: number; from: number; to: number }[]> }> {
  const parts: Record<string, { wallMs: number; from: number; to: number }[]> = {};
  const mark: MarkPart = <T>(part: string, fn: () => T): T => {
    const from = recordedKernels();
    const start = performance.now();
    try {
      return fn();
    } finally {
      (parts[part] ??= []).push({ wallMs: performance.now() - start, from, to: recordedKernels() });
    }
  };
  let wallMs = 0;
  let sentences = 0;
  // While profiling, tfjs also reads back every kernel output to look for NaNs
  // (CHECK_COMPUTATION_FOR_ERRORS, on by default): a copy of every tensor that
  // training never makes. Off for the profile, restored after.
  const env = tf.env();
  const checking = env.getBool('CHECK_COMPUTATION_FOR_ERRORS');
  env.set('CHECK_COMPUTATION_FOR_ERRORS', false);
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(async () => {
      const start = performance.now();
      sentences = await work(mark);
      wallMs = performance.now() - start;
    });
  } finally {
    env.set('CHECK_COMPUTATION_FOR_ERRORS', checking);
  }
  const kernels: RawKernel[] = [];
  for (const k of info.kernels) kernels.push({ name: k.name, ms: await kernelMsOf(k.kernelTimeMs) });
  info.kernels.length = 0; // the engine keeps its last profile: do not hold the entries
  return { sentences, wallMs, kernels, parts };
}

/** Sums raw entries by name, most time first; `percent` of `total`. */
function byName(entries: readonly RawKernel[], total: number): KernelTime[] {
  const sums = new Map<string, KernelTime>();
  for (const e of entries) {
    const s = sums.get(e.name) ?? { name: e.name, ms: 0, calls: 0, percent: 0 };
    s.ms += e.ms;
    s.calls += 1;
    sums.set(e.name, s);
  }
  return [...sums.values()].map((s) => ({ ...s, percent: total > 0 ? (100 * s.ms) / total : 0 })).sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name));
}

/**
 * A profile accumulator: {@link PhaseRecorder.run} profiles one piece of work
 * (one `tf.profile` each, so that no single profile holds the entries of a long
 * run), {@link PhaseRecorder.result} sums them.
 */
export class PhaseRecorder {
  private readonly kernels: RawKernel[] = [];
  private readonly scopes: RawKernel[] = [];
  private readonly parts: Record<string, { wallMs: number; kernelMs: number }> = {};
  private readonly registered = new Map<string, boolean>();
  private wallMs = 0;
  private sentences = 0;

  constructor(readonly phase: string) {}

  /**
   * Runs `work` under `tf.profile`; it returns how many sentences it
   * processed. `work` may wrap parts of itself in `mark(name, fn)` to get their
   * wall and kernel time in `parts`.
   */
  async run(work: ProfiledWork): Promise<void> {
    const backendName = tf.getBackend();
    const raw = await profileRaw(work);
    const isKernel = raw.kernels.map((k) => isRegisteredKernel(k.name, backendName, this.registered));
    raw.kernels.forEach((k, i) => (isKernel[i] ? this.kernels : this.scopes).push(k));
    for (const [part, spans] of Object.entries(raw.parts)) {
      const sum = (this.parts[part] ??= { wallMs: 0, kernelMs: 0 });
      for (const span of spans) {
        sum.wallMs += span.wallMs;
        for (let i = span.from; i < span.to; i++) if (isKernel[i]) sum.kernelMs += raw.kernels[i].ms;
      }
    }
    this.wallMs += raw.wallMs;
    this.sentences += raw.sentences;
  }

  result(): PhaseProfile {
    const kernelMs = this.kernels.reduce((s, k) => s + k.ms, 0);
    const kernelCalls = this.kernels.length;
    return {
      phase: this.phase,
      sentences: this.sentences,
      wallMs: this.wallMs,
      kernelMs,
      outsideMs: this.wallMs - kernelMs,
      kernelCalls,
      callsPerSentence: this.sentences > 0 ? kernelCalls / this.sentences : 0,
      kernels: byName(this.kernels, kernelMs),
      scopes: byName(this.scopes, kernelMs),
      parts: structuredClone(this.parts),
    };
  }
}

/**
 * Profiles one piece of work, which returns the number of sentences it
 * processed (see {@link PhaseRecorder}).
 *
 * ```ts
 * const p = await profileKernels('eval', () => (model.predict(docs), docs.length));
 * console.log(formatPhaseProfile(p, 10));
 * ```
 */
export async function profileKernels(phase: string, work: ProfiledWork): Promise<PhaseProfile> {
  const recorder = new PhaseRecorder(phase);
  await recorder.run(work);
  return recorder.result();
}

/** Options of {@link profileTraining}. */
export interface ProfileOptions {
  spec: JointSpec;
  schema: TypeSchema;
  train: readonly Document[];
  /** Dev documents whose first `evalBatches` decode batches are profiled (none: no eval profile). */
  dev: readonly Document[];
  /** Documents whose words keep fixed word vectors (as `train`'s `vectorDocs`). */
  vectorDocs?: readonly Document[];
  /** Profiled training steps (batches of `spec.training.batchSize`); default 4. */
  steps?: number;
  /** Profiled decode batches (of `spec.decodeBatchSize` dev sentences); default 4. */
  evalBatches?: number;
  /** One training step and one decode batch first, not profiled (one-time set-up costs); default true. */
  warmup?: boolean;
  /** Also time the same amount of work without the profiler, to show its overhead; default true. */
  unprofiled?: boolean;
}

/** What {@link profileTraining} measured. */
export interface ModelProfile {
  backend: string;
  preset: string;
  train: PhaseProfile;
  /** Null without dev documents. */
  eval: PhaseProfile | null;
  /** What the span cap did in the profiled decode batches (pairs per sentence: `pairs / sentences`). */
  decoding: DecodeStats;
  /** Wall ms of as many steps / decode batches again without the profiler (null when not asked). */
  unprofiledMs: { train: number; eval: number | null } | null;
}

/**
 * Builds a model from `spec` and profiles a few training steps (each a full
 * `trainStep`: forward, backward, clipping, optimizer, timed as `optimizer` on
 * its own) and a few dev decode batches (`JointModel.predict` over one batch
 * each). The model and optimizer are disposed; nothing is written.
 */
export async function profileTraining(options: ProfileOptions): Promise<ModelProfile> {
  const { spec, schema } = options;
  checkSpec(spec, 'spec');
  if (options.train.length === 0) throw new Error('profileTraining: there are no training documents');
  const steps = options.steps ?? 4;
  const evalBatches = options.dev.length > 0 ? (options.evalBatches ?? 4) : 0;
  const warmup = options.warmup ?? true;
  const unprofiled = options.unprofiled ?? true;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`profileTraining: steps must be an integer >= 1, got ${steps}`);
  if (!Number.isInteger(evalBatches) || evalBatches < 0) throw new Error(`profileTraining: evalBatches must be an integer >= 0, got ${evalBatches}`);
  const t = spec.training;
  const model: JointModel = await buildModel(spec, schema, options.train, [...options.dev, ...(options.vectorDocs ?? [])]);
  const trainRuns = (warmup ? 1 : 0) + steps * (unprofiled ? 2 : 1);
  const optimizer: AdamW = makeOptimizer(model.parameters(), t.optimizer, trainRuns);
  try {
    lossStrategy(t.loss).check(model);
    const params = model.parameters();
    const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
    // The training batches in the order `train` takes them (epoch after epoch when there are few documents).
    const positions: { epoch: number; position: number }[] = [];
    for (let epoch = 0; positions.length < steps + 1; epoch++) {
      const count = Math.ceil(options.train.length / t.batchSize);
      for (let position = 0; position < count && positions.length < steps + 1; position++) positions.push({ epoch, position });
    }
    const batchesOf = new Map<number, number[][]>();
    const step = (at: { epoch: number; position: number }, mark: MarkPart): number => {
      if (!batchesOf.has(at.epoch)) batchesOf.set(at.epoch, epochBatches(options.train.length, t.batchSize, spec.seed, at.epoch));
      const docs = batchesOf.get(at.epoch)![at.position].map((i) => options.train[i]);
      const batch = trainingBatch(spec, schema, docs, at.epoch, at.position);
      const timed = Object.create(optimizer) as AdamW; // the optimizer with its step timed as `optimizer`
      timed.step = (grads, stepOptions) => mark('optimizer', () => optimizer.step(grads, stepOptions));
      const loss = trainStep(params, () => trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss, timed, t.clipNorm === null ? {} : { clip: t.clipNorm });
      if (!Number.isFinite(loss)) throw new Error(`profileTraining: the loss is ${loss}`);
      return docs.length;
    };
    const noMark: MarkPart = (_part, fn) => fn();

    if (warmup) step(positions[steps], noMark); // the batch after the profiled ones
    const trainRecorder = new PhaseRecorder('train');
    for (let i = 0; i < steps; i++) await trainRecorder.run((mark) => step(positions[i], mark));

    const size = model.decoding.decodeBatchSize;
    const evalDocs = (b: number) => options.dev.slice((b * size) % options.dev.length).concat(options.dev).slice(0, size);
    const decoding = emptyDecodeStats();
    let evalProfile: PhaseProfile | null = null;
    let evalMs: number | null = null;
    if (evalBatches > 0) {
      if (warmup) model.predict(evalDocs(0));
      const evalRecorder = new PhaseRecorder('eval');
      for (let b = 0; b < evalBatches; b++) {
        const docs = evalDocs(b);
        await evalRecorder.run(() => {
          model.predict(docs, { stats: decoding });
          return docs.length;
        });
      }
      evalProfile = evalRecorder.result();
      if (unprofiled) {
        // The same batches with the same weights, without the profiler.
        const start = performance.now();
        for (let b = 0; b < evalBatches; b++) model.predict(evalDocs(b));
        evalMs = performance.now() - start;
      }
    }

    let unprofiledMs: ModelProfile['unprofiledMs'] = null;
    if (unprofiled) {
      // The same batches (and samples) again, without the profiler (the weights have moved on a little).
      const start = performance.now();
      for (let i = 0; i < steps; i++) step(positions[i], noMark);
      unprofiledMs = { train: performance.now() - start, eval: evalMs };
    }
    return { backend: tf.getBackend(), preset: spec.preset, train: trainRecorder.result(), eval: evalProfile, decoding, unprofiledMs };
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

const ms = (v: number) => v.toFixed(1);
const pct = (v: number, total: number) => (total > 0 ? ((100 * v) / total).toFixed(1) : '0.0');

/**
 * A phase as text: one summary line, then the `top` kernels by time (ms, % of
 * kernel time, calls, calls per sentence, ms per call), a line for the other
 * kernels, the total, and the timed parts and custom-gradient scopes.
 */
export function formatPhaseProfile(p: PhaseProfile, top = 15): string {
  const lines: string[] = [];
  const perSentence = p.sentences > 0 ? p.wallMs / p.sentences : 0;
  lines.push(
    `${p.phase}: ${p.sentences} sentences, wall ${ms(p.wallMs)} ms (${ms(perSentence)} ms/sentence, ${p.wallMs > 0 ? ((1000 * p.sentences) / p.wallMs).toFixed(2) : '0'} sentences/s); ` +
      `kernels ${ms(p.kernelMs)} ms (${pct(p.kernelMs, p.wallMs)}%) in ${p.kernelCalls} calls (${p.callsPerSentence.toFixed(0)} per sentence); ` +
      `outside kernels ${ms(p.outsideMs)} ms (${pct(p.outsideMs, p.wallMs)}%)`,
  );
  const width = Math.max(24, ...p.kernels.slice(0, top).map((k) => k.name.length + 2));
  const row = (name: string, msv: number, share: string, calls: number) =>
    `  ${name.padEnd(width)}${ms(msv).padStart(10)}${share.padStart(8)}${String(calls).padStart(9)}${(p.sentences > 0 ? (calls / p.sentences).toFixed(1) : '-').padStart(10)}${(calls > 0 ? (msv / calls).toFixed(3) : '-').padStart(10)}`;
  lines.push(`  ${'kernel'.padEnd(width)}${'ms'.padStart(10)}${'%'.padStart(8)}${'calls'.padStart(9)}${'calls/snt'.padStart(10)}${'ms/call'.padStart(10)}`);
  for (const k of p.kernels.slice(0, top)) lines.push(row(k.name, k.ms, k.percent.toFixed(1), k.calls));
  const rest = p.kernels.slice(top);
  if (rest.length > 0) {
    const restMs = rest.reduce((s, k) => s + k.ms, 0);
    lines.push(row(`(${rest.length} other kernels)`, restMs, pct(restMs, p.kernelMs), rest.reduce((s, k) => s + k.calls, 0)));
  }
  lines.push(row('total', p.kernelMs, p.kernelMs > 0 ? '100.0' : '0.0', p.kernelCalls));
  for (const [part, v] of Object.entries(p.parts)) {
    lines.push(`  ${part}: wall ${ms(v.wallMs)} ms (${pct(v.wallMs, p.wallMs)}% of wall), of which kernels ${ms(v.kernelMs)} ms, outside kernels ${ms(v.wallMs - v.kernelMs)} ms`);
  }
  if (p.scopes.length > 0) {
    lines.push(`  custom-gradient scopes (time includes their kernels above): ${p.scopes.map((s) => `${s.name || '(unnamed)'} ${ms(s.ms)} ms / ${s.calls}`).join(', ')}`);
  }
  return lines.join('\n');
}

/** A {@link ModelProfile} as text (see {@link formatPhaseProfile}). */
export function formatModelProfile(profile: ModelProfile, top = 15): string {
  const out = [`profile of ${profile.preset} on the ${profile.backend} backend (tf.profile; wall includes the profiler's own bookkeeping)`, formatPhaseProfile(profile.train, top)];
  if (profile.eval) {
    out.push(formatPhaseProfile(profile.eval, top));
    const d = profile.decoding;
    out.push(`  decoding: ${d.keptSpans} entity spans kept, ${d.pairs} pairs scored (${d.sentences > 0 ? (d.pairs / d.sentences).toFixed(1) : '0'} per sentence); span cap hit in ${d.cappedSentences} of ${d.sentences} sentences`);
  }
  if (profile.unprofiledMs) {
    const u = profile.unprofiledMs;
    const line = `without the profiler: train ${ms(u.train)} ms (${ms(profile.train.wallMs)} profiled)` + (u.eval !== null && profile.eval ? `, eval ${ms(u.eval)} ms (${ms(profile.eval.wallMs)} profiled)` : '');
    out.push(line);
  }
  return out.join('\n');
}
