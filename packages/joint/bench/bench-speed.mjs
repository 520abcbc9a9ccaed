#!/usr/bin/env node
/**
 * `pnpm bench:speed`: training and evaluation speed of the fast path (fused
 * AdamW, `training.optimizer.fused: true`, and the fused kernels of
 * `@spanrel/tensor-core`, `setFusedKernels(true)`: span and context
 * max-pooling in place; large matMuls, in training too, on onnxruntime-node's
 * GEMM where it loads (`setOnnxMatMul`); for a BERT encoder also its inference forward on
 * onnxruntime-node, which follows that switch: `bench-onnx-bert.mjs` times it
 * alone) against the op-by-op path (all off), in ONE process on the same model, interleaved round
 * by round so that the load of a shared machine hits both alike. Prints a
 * table, the ratios, the PyTorch reference figures, and one JSON object as the
 * last line.
 *
 * Variants:
 *  - `spert`: the preset with the shared small BERT (`--bert`, default
 *    ../shared/models/small-bert-conll04; reference: SpERT's PyTorch code on a
 *    2-core machine, 29.8-32.3 train / 34-41 eval sent/s, 1.12 GB);
 *  - `spert+glove`: the preset with its BiLSTM + char CNN encoder and the fixed
 *    GloVe-derived vectors (no reference figure);
 *  - `dixit+glove`: the Dixit preset with the fixed GloVe-derived vectors
 *    (installed into .tools/ on first use, see bench-helpers.mjs; reference: a
 *    PyTorch implementation, 15.5 train / ~100 eval sent/s, 827 MB).
 *
 * Per variant: one model; first two training steps from the same weights,
 * batches and dropout state on each path, and the max relative difference of
 * the updated weights and moments (the paths must agree); then `--rounds` rounds, each
 * training `--train` sentences (batches of the preset's size) and predicting
 * `--eval` dev sentences on each path, alternating step by step (and chunk by
 * chunk of 8 sentences for evaluation) which path goes first. Prediction does
 * not touch the optimizer, but does run the fused kernels (pooling). Then the
 * fast path's evaluation on every core (`ShardedPredictor` of
 * `@spanrel/joint/parallel`: worker threads that load the model, plus this
 * thread) against this thread alone, alternating round by round; the eval
 * ratio ("eval x") is every core's fast path over the op-by-op path on one thread.
 * Peak RSS is the process's after the variant (monotonic: spert runs first;
 * the workers' memory is in the same process).
 *
 * "train x ceiling": the matMul kernels (`BatchMatMul`, `_FusedMatMul`) are
 * timed inside every one-thread training step; the op-by-op step time over the
 * fast path's matMul time per step is the training ratio the fast path would
 * reach if everything but its matMuls took no time, i.e. the most that fewer or
 * fused kernels can give before matMul itself gets faster (more threads, fewer
 * multiply-adds).
 *
 * Data-parallel column ("dp train", "dp x"): when `--train-workers` is not 0
 * (default: `defaultGradientWorkers()`, one per further core on wasm), a third
 * path trains in the same interleaved rounds: the fast path with gradient
 * workers (`dataParallelSteps` of `@spanrel/joint/parallel`: the batch's
 * sentences split over the worker threads and this one, gradients summed here).
 * "dp x" is its training speed over the op-by-op path on one thread. (Its
 * numbers equal the one-thread step's with dropout off: the tests check that;
 * the presets train with dropout, so it is not compared here.)
 *
 * Uses the BUILT packages (`pnpm build` first; `pnpm bench:speed` builds).
 *
 *   node packages/joint/bench/bench-speed.mjs [--variants spert,dixit+glove] [--train N] [--eval N]
 *     [--rounds N] [--data DIR] [--bert DIR] [--backend wasm|cpu|tensorflow|auto] [--onnx-threads N]
 *     [--train-workers N] [--batch-size N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { REPO_ROOT, benchVariantSpec, compareTensorSets, dataFiles, kernelTimer, maxTensorRelDiff, missingInputs, noiseNote, rerunWithWinkNodePath, splitGlove } from './bench-helpers.mjs';

const SELF = fileURLToPath(import.meta.url);
const REFERENCE = {
  spert: { source: 'SpERT code, PyTorch 2.13, 2 threads (../shared/models/small-bert-conll04/README.md)', trainSentPerSec: 30, evalSentPerSec: 38, peakRssMB: 1120 },
  dixit: { source: 'PyTorch implementation of the same model (issue 10)', trainSentPerSec: 15.5, evalSentPerSec: 100, peakRssMB: 827 },
};

const OPTIONS = {
  variants: { type: 'string' },
  train: { type: 'string' },
  eval: { type: 'string' },
  rounds: { type: 'string' },
  data: { type: 'string' },
  bert: { type: 'string' },
  backend: { type: 'string' },
  'onnx-threads': { type: 'string' },
  'train-workers': { type: 'string' },
  'batch-size': { type: 'string' },
  help: { type: 'boolean' },
};

const USAGE = `usage: node packages/joint/bench/bench-speed.mjs [options]
  --variants LIST  comma-separated: spert (small BERT), spert+glove (BiLSTM), dixit+glove, dixit (trained word table) (default spert,dixit+glove)
  --train N        training sentences per path per round (default 40)
  --eval N         dev sentences predicted per path per round (default 80)
  --rounds N       interleaved rounds (default 3)
  --data DIR       CoNLL04 folder (default ../shared/data/conll04)
  --bert DIR       BERT folder for spert (default ../shared/models/small-bert-conll04)
  --backend NAME   tfjs backend (default auto)
  --onnx-threads N threads of each onnxruntime-node session of the fast path (BERT, BiLSTM, heads' MLPs; default every core)
  --batch-size N   training batch size instead of the preset's
  --train-workers N  gradient workers of the data-parallel path (default: one per further core on wasm/cpu; 0: no such path)`;

function positiveInt(value, flag, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be an integer >= 1, got "${value}"`);
  return n;
}

function nonNegativeInt(value, flag) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be an integer >= 0, got "${value}"`);
  return n;
}

const log = (line) => process.stderr.write(`${line}\n`);

async function benchVariant(variant, opts, libs) {
  const { tf, joint, parallel, datasets, core, encoders } = libs;
  const { glove, modelVariant } = splitGlove(variant);
  const spec = benchVariantSpec(joint.variantSpec, variant, { source: `bench-speed ${variant}`, encoder: modelVariant === 'spert' && !glove ? `bert:${opts.bert}` : undefined });
  if (opts.batchSize) spec.training.batchSize = opts.batchSize;
  const files = dataFiles(opts.data);
  const schema = datasets.readTypeSchema(files.types);
  const trainDocs = datasets.readDocuments(files.train, { schema });
  const devDocs = datasets.readDocuments(files.dev, { schema });
  const t = spec.training;
  const batchSize = t.batchSize;
  const stepsPerRound = Math.max(1, Math.ceil(opts.train / batchSize));
  const totalSteps = stepsPerRound * opts.rounds * 2 + 2;
  log(`\n== ${variant}: ${spec.encoder.name} encoder, batch ${batchSize}, clip ${t.clipNorm ?? 'none'}; ${opts.rounds} rounds x (${stepsPerRound * batchSize} train + ${opts.eval} eval sentences) per path ==`);

  const buildStart = Date.now();
  const model = await joint.buildModel(spec, schema, trainDocs, devDocs);
  log(`model built in ${((Date.now() - buildStart) / 1000).toFixed(1)} s`);
  const params = model.parameters();
  const sampling = t.sampling.strategy === 'all-spans' ? t.sampling : undefined;
  const roots = { encoder: model.encoder, spanHead: model.spanHead, entityClassifier: model.entityClassifier, relationHead: model.relationHead };
  if (model.tokenInteraction) roots.tokenInteraction = model.tokenInteraction;
  const makeOpt = (fused) => joint.makeOptimizer(params, { ...t.optimizer, fused }, totalSteps);
  let cursor = 0;
  const nextBatch = () => {
    const docs = [];
    for (let i = 0; i < batchSize; i++) docs.push(trainDocs[(cursor++) % trainDocs.length]);
    return joint.sampleBatch(spec, schema, docs, () => datasets.createRng(cursor));
  };
  const step = (opt, batch) =>
    core.trainStep(params, () => joint.trainingLosses(model, batch, sampling, t.lossReduction, t.loss).loss, opt, t.clipNorm === null ? {} : { clip: t.clipNorm });

  // 1. The same steps from the same state on each path: the updated weights and moments must agree.
  //    Two steps: with a warmup schedule the first one has lr 0 (only the moments move).
  const snapshot = new Map([...params].map(([n, v]) => [n, tf.clone(v)]));
  const rngStates = joint.exportRngStates(roots);
  const checkBatches = [nextBatch(), nextBatch()];
  const updated = {};
  const moments = {};
  // With onnxruntime-node's GEMM on, also the fast path with its matMuls on XNNPACK: the fused kernels alone.
  const nativeGemm = encoders.loadOnnxRuntime() !== null && encoders.onnxMatMulEnabled();
  for (const key of nativeGemm ? ['fused', 'fusedXnnpack', 'opByOp'] : ['fused', 'opByOp']) {
    const fused = key !== 'opByOp';
    core.setFusedKernels(fused);
    encoders.setOnnxMatMul(nativeGemm && key === 'fused');
    for (const [n, v] of params) v.assign(snapshot.get(n));
    joint.importRngStates(roots, rngStates, 'bench');
    const opt = makeOpt(fused);
    for (const b of checkBatches) step(opt, b);
    updated[key] = new Map([...params].map(([n, v]) => [n, v.dataSync().slice()]));
    const state = opt.exportState();
    moments[key] = new Map([...state].filter(([k]) => k.startsWith('exp_avg')).map(([k, t]) => [k, t.dataSync().slice()]));
    for (const t of state.values()) t.dispose();
    opt.dispose();
  }
  encoders.setOnnxMatMul(nativeGemm); // as it was: SPANREL_ONNX_MATMUL=0 keeps the timing on XNNPACK too
  const weightsCompared = compareTensorSets(updated.fused, updated.opByOp);
  const xnnpackCompared = nativeGemm ? compareTensorSets(updated.fusedXnnpack, updated.opByOp) : null;
  const oneStepMaxRelDiff = weightsCompared.maxRelDiff;
  const momentsMaxRelDiff = maxTensorRelDiff(moments.fused, moments.opByOp);
  const moved = maxTensorRelDiff(updated.fused, new Map([...snapshot].map(([n, s]) => [n, s.dataSync()])));
  for (const s of snapshot.values()) s.dispose();
  log(`${checkBatches.length} steps from the same state: max rel diff fused vs op-by-op ${oneStepMaxRelDiff.toExponential(2)} (weights), ${momentsMaxRelDiff.toExponential(2)} (moments); the steps moved the weights by up to ${moved.toExponential(2)} rel${noiseNote(weightsCompared)}`);
  const xnnpackStep = xnnpackCompared ? { weights: xnnpackCompared.maxRelDiff, moments: maxTensorRelDiff(moments.fusedXnnpack, moments.opByOp) } : null;
  if (xnnpackStep) {
    log(
      `  the fast path's large matMuls ran on ${encoders.onnxMatMulRuntime.name}; with them on XNNPACK instead: max rel diff ${xnnpackStep.weights.toExponential(2)} (weights), ${xnnpackStep.moments.toExponential(2)} (moments)${noiseNote(xnnpackCompared)} ` +
        '(another summation order, and AdamW moves a weight by ~lr whatever the size of its gradient: a gradient at the rounding level, e.g. a bias under a softmax, flips sign)',
    );
  }

  // 2. Interleaved timing; each path keeps its own optimizer (the weights are shared: speed does not depend on them).
  const paths = { fused: { opt: makeOpt(true), trainS: 0, trainN: 0, evalS: 0, evalN: 0, matMulMs: 0, steps: 0 }, opByOp: { opt: makeOpt(false), trainS: 0, trainN: 0, evalS: 0, evalN: 0, matMulMs: 0, steps: 0 } };
  // The data-parallel path: the fast path with gradient workers (training only).
  const gradientWorkers = opts.trainWorkers ?? parallel.defaultGradientWorkers();
  const dp = gradientWorkers > 0 && batchSize >= 2 ? parallel.dataParallelSteps({ workers: gradientWorkers }) : null;
  if (dp) paths.dataParallel = { opt: makeOpt(true), trainS: 0, trainN: 0, evalS: 0, evalN: 0 };
  let dpSteps = 0;
  // Where the data-parallel steps spend their time (ms, summed over the timed steps; see DataParallelTimings).
  const dpTimes = { steps: 0, publishMs: 0, ownShardMs: 0, waitMs: 0, sumMs: 0, optimizerMs: 0, workerReadWeightsMs: 0, workerComputeMs: 0, workerWriteGradientsMs: 0 };
  const addDpTimes = (t) => {
    dpTimes.steps += 1;
    for (const k of ['publishMs', 'ownShardMs', 'waitMs', 'sumMs', 'optimizerMs']) dpTimes[k] += t[k];
    const w = t.workers[0];
    if (w) {
      dpTimes.workerReadWeightsMs += w.readWeightsMs;
      dpTimes.workerComputeMs += w.computeMs;
      dpTimes.workerWriteGradientsMs += w.writeGradientsMs;
    }
  };
  const usePath = (name) => core.setFusedKernels(name !== 'opByOp');
  // The matMul kernels' time inside each one-thread step: the part of a step that only a faster matMul
  // (not fewer or fused kernels) can shorten, so op-by-op step time / fast-path matMul time bounds "train x".
  const matMuls = kernelTimer(tf, ['BatchMatMul', '_FusedMatMul']);
  const runStep = async (name, batch) => {
    usePath(name);
    if (name === 'dataParallel') await dp.batchStep(model, batch, { spec, optimizer: paths.dataParallel.opt, globalStep: dpSteps++ });
    else {
      matMuls.reset();
      step(paths[name].opt, batch);
      paths[name].matMulMs += matMuls.ms;
      paths[name].steps += 1;
    }
  };
  // Interleaved step by step (training, rotating which path goes first) and chunk by chunk (evaluation,
  // alternating), so that the load of a shared machine falls on every path alike. All paths see the same batches.
  const evalDocs = devDocs.slice(0, opts.eval);
  const EVAL_CHUNK = 8;
  try {
    const trainPaths = Object.keys(paths);
    for (const name of trainPaths) await runStep(name, nextBatch()); // warm-up of each path's first (allocating) step; starts the gradient workers
    for (const p of Object.values(paths)) Object.assign(p, { matMulMs: 0, steps: 0 });
    for (let r = 0; r < opts.rounds; r++) {
      for (let s = 0; s < stepsPerRound; s++) {
        const batch = nextBatch();
        const shift = (r + s) % trainPaths.length;
        for (const name of [...trainPaths.slice(shift), ...trainPaths.slice(0, shift)]) {
          const p = paths[name];
          const t0 = performance.now();
          await runStep(name, batch);
          p.trainS += (performance.now() - t0) / 1000;
          if (name === 'dataParallel' && dp.lastTimings) addDpTimes(dp.lastTimings);
          p.trainN += batchSize;
        }
      }
      for (let c = 0; c < evalDocs.length; c += EVAL_CHUNK) {
        const chunk = evalDocs.slice(c, c + EVAL_CHUNK);
        for (const name of (r + c / EVAL_CHUNK) % 2 === 0 ? ['fused', 'opByOp'] : ['opByOp', 'fused']) {
          const p = paths[name];
          usePath(name);
          const t1 = performance.now();
          model.predict(chunk);
          p.evalS += (performance.now() - t1) / 1000;
          p.evalN += chunk.length;
        }
      }
      const dpNote = dp ? `; data-parallel (${gradientWorkers + 1} threads) ${(paths.dataParallel.trainN / paths.dataParallel.trainS).toFixed(2)} train` : '';
      log(`round ${r + 1}/${opts.rounds}: fused ${(paths.fused.trainN / paths.fused.trainS).toFixed(2)} train / ${(paths.fused.evalN / paths.fused.evalS).toFixed(1)} eval sent/s; op-by-op ${(paths.opByOp.trainN / paths.opByOp.trainS).toFixed(2)} / ${(paths.opByOp.evalN / paths.opByOp.evalS).toFixed(1)}${dpNote}`);
    }
  } finally {
    matMuls.restore();
    await dp?.close();
  }
  core.setFusedKernels(true);
  for (const p of Object.values(paths)) p.opt.dispose();

  // 3. Evaluation on every core (fast path): worker threads that load the model beside this thread
  //    (@spanrel/joint/parallel), interleaved with the fast path on this thread alone.
  const allCores = await allCoresEval(model, evalDocs, opts.rounds, { joint, parallel });
  const paramCount = [...params.values()].reduce((s, v) => s + v.size, 0);
  model.dispose();
  const summary = (p) => ({
    trainSentPerSec: p.trainN / p.trainS,
    evalSentPerSec: p.evalN / p.evalS,
    trainSentences: p.trainN,
    evalSentences: p.evalN,
    stepMs: (1000 * p.trainS) / p.steps,
    matMulMsPerStep: p.matMulMs / p.steps,
  });
  const fused = summary(paths.fused);
  const opByOp = summary(paths.opByOp);
  // However fast everything else became, a step cannot take less than its matMuls.
  const trainSpeedupCeiling = opByOp.stepMs / fused.matMulMsPerStep;
  log(
    `matMul kernels per training step: fast path ${fused.matMulMsPerStep.toFixed(1)} of ${fused.stepMs.toFixed(1)} ms (${((100 * fused.matMulMsPerStep) / fused.stepMs).toFixed(0)}%), ` +
      `op-by-op ${opByOp.matMulMsPerStep.toFixed(1)} of ${opByOp.stepMs.toFixed(1)} ms; with the fast path's matMuls as they are, train x <= ${trainSpeedupCeiling.toFixed(2)}`,
  );
  const perStep = dp ? Object.fromEntries(Object.entries(dpTimes).filter(([k]) => k !== 'steps').map(([k, v]) => [k, v / Math.max(1, dpTimes.steps)])) : null;
  const dataParallel = dp ? { threads: gradientWorkers + 1, trainSentPerSec: paths.dataParallel.trainN / paths.dataParallel.trainS, trainSentences: paths.dataParallel.trainN, msPerStep: perStep } : null;
  if (perStep) {
    const f = (k) => perStep[k].toFixed(0);
    log(`data-parallel step, ms (mean of ${dpTimes.steps}): this thread: publish weights ${f('publishMs')}, own shard ${f('ownShardMs')}, wait ${f('waitMs')}, sum ${f('sumMs')}, optimizer ${f('optimizerMs')}; worker 1: read weights ${f('workerReadWeightsMs')}, shard ${f('workerComputeMs')}, write gradients ${f('workerWriteGradientsMs')}`);
  }
  return {
    variant,
    encoder: spec.encoder.name,
    parameters: paramCount,
    parameterTensors: params.size,
    batchSize,
    fused,
    opByOp,
    allCores,
    dataParallel,
    trainSpeedup: fused.trainSentPerSec / opByOp.trainSentPerSec,
    // op-by-op step time / the fast path's matMul time per step: the train ratio if everything but matMul took no time.
    trainSpeedupCeiling,
    // The data-parallel path (fast path + gradient workers) over the op-by-op path on one thread; null without workers.
    trainSpeedupDataParallel: dataParallel ? dataParallel.trainSentPerSec / opByOp.trainSentPerSec : null,
    // The fast path's evaluation is the one on every core (when there is more than one).
    evalSpeedup: (allCores ? allCores.evalSentPerSec : fused.evalSentPerSec) / opByOp.evalSentPerSec,
    evalSpeedupOneThread: fused.evalSentPerSec / opByOp.evalSentPerSec,
    oneStepMaxRelDiff,
    oneStepNoiseFloorTensors: weightsCompared.noise.names,
    momentsMaxRelDiff,
    // The fast path with its large matMuls on XNNPACK instead of onnxruntime's GEMM, against op-by-op (null without it).
    oneStepXnnpackMaxRelDiff: xnnpackStep,
    nativeGemm: nativeGemm ? encoders.onnxMatMulRuntime.name : null,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    // spert's reference is SpERT with the small BERT: nothing to compare the BiLSTM variant with.
    reference: modelVariant === 'spert' && glove ? null : (REFERENCE[modelVariant] ?? null),
  };
}

/**
 * Sentences/s of the fast path's evaluation on this thread alone and on every
 * core (a ShardedPredictor with its default workers), alternating round by
 * round; null when the default is no workers (one core, tfjs-node, or a BERT
 * encoder on onnxruntime, whose session threads itself).
 */
async function allCoresEval(model, evalDocs, rounds, { joint, parallel }) {
  const workers = parallel.defaultPredictWorkers(model);
  if (workers === 0) return null;
  const dir = mkdtempSync(join(os.tmpdir(), 'spanrel-bench-speed-'));
  try {
    await joint.saveModel(model, dir);
    const predictor = await parallel.ShardedPredictor.start(dir, { workers, chunkSize: 8 });
    try {
      await predictor.predict(model, evalDocs.slice(0, 8 * (workers + 1))); // warm-up: the workers' first decode allocates
      const timed = { one: { s: 0, n: 0 }, all: { s: 0, n: 0 } };
      const agree = [];
      for (let r = 0; r < rounds; r++) {
        for (const name of r % 2 === 0 ? ['one', 'all'] : ['all', 'one']) {
          const t0 = performance.now();
          const docs = name === 'one' ? model.predict(evalDocs) : await predictor.predict(model, evalDocs);
          timed[name].s += (performance.now() - t0) / 1000;
          timed[name].n += evalDocs.length;
          agree.push(JSON.stringify(docs));
        }
      }
      const evalSentPerSec = timed.all.n / timed.all.s;
      const oneThreadSentPerSec = timed.one.n / timed.one.s;
      const samePredictions = agree.every((d) => d === agree[0]);
      log(`eval on ${workers + 1} threads: ${evalSentPerSec.toFixed(1)} sent/s against ${oneThreadSentPerSec.toFixed(1)} on one (${(evalSentPerSec / oneThreadSentPerSec).toFixed(2)}x); same predictions: ${samePredictions}`);
      return { threads: workers + 1, evalSentPerSec, oneThreadSentPerSec, speedup: evalSentPerSec / oneThreadSentPerSec, samePredictions };
    } finally {
      await predictor.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function table(results) {
  const header = ['variant', 'fused train', 'op-by-op train', 'train x', 'train x ceiling', 'dp train (threads)', 'dp x', 'fused eval (1 thread)', 'all cores', 'op-by-op eval', 'eval x', 'ref train/eval', 'step max rel diff w / m', 'peak RSS MB'];
  const rows = results.map((r) =>
    r.error
      ? [r.variant, `error: ${r.error}`]
      : [
          r.variant,
          r.fused.trainSentPerSec.toFixed(2),
          r.opByOp.trainSentPerSec.toFixed(2),
          r.trainSpeedup.toFixed(2),
          r.trainSpeedupCeiling.toFixed(2),
          r.dataParallel ? `${r.dataParallel.trainSentPerSec.toFixed(2)} (${r.dataParallel.threads})` : '-',
          r.trainSpeedupDataParallel ? r.trainSpeedupDataParallel.toFixed(2) : '-',
          r.fused.evalSentPerSec.toFixed(1),
          r.allCores ? `${r.allCores.evalSentPerSec.toFixed(1)} (${r.allCores.threads})` : '-',
          r.opByOp.evalSentPerSec.toFixed(1),
          r.evalSpeedup.toFixed(2),
          r.reference ? `${r.reference.trainSentPerSec} / ${r.reference.evalSentPerSec}` : '-',
          `${r.oneStepMaxRelDiff.toExponential(1)} / ${r.momentsMaxRelDiff.toExponential(1)}`,
          r.peakRssMB.toFixed(0),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row.length === 2 ? 0 : String(row[i] ?? '').length))));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(cells.length === 2 ? 0 : widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: OPTIONS, allowPositionals: false }));
  } catch (e) {
    console.error(`${e.message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const opts = {
    variants: (values.variants ?? 'spert,dixit+glove').split(',').map((s) => s.trim()).filter(Boolean),
    train: positiveInt(values.train, '--train', 40),
    eval: positiveInt(values.eval, '--eval', 80),
    rounds: positiveInt(values.rounds, '--rounds', 3),
    data: resolve(values.data ?? join(REPO_ROOT, '..', 'shared', 'data', 'conll04')),
    bert: resolve(values.bert ?? join(REPO_ROOT, '..', 'shared', 'models', 'small-bert-conll04')),
    batchSize: values['batch-size'] === undefined ? undefined : positiveInt(values['batch-size'], '--batch-size'),
    trainWorkers: values['train-workers'] === undefined ? undefined : nonNegativeInt(values['train-workers'], '--train-workers'),
  };
  const missing = missingInputs(opts.variants, opts.data, opts.bert);
  if (missing.length > 0) {
    console.log(`bench:speed: ${missing.join(', ')} missing; nothing to do`);
    console.log(JSON.stringify({ benchmark: 'speed', skipped: `missing ${missing.join(', ')}`, results: [] }));
    return 0;
  }
  const rerun = rerunWithWinkNodePath(SELF, opts.variants);
  if (rerun) return rerun;

  const tf = await import('@tensorflow/tfjs-core');
  const core = await import('@spanrel/tensor-core');
  const joint = await import('@spanrel/joint');
  const parallel = await import('@spanrel/joint/parallel');
  const datasets = await import('@spanrel/datasets');
  await core.initBackend(values.backend ? { backend: values.backend } : {});
  const encoders = await import('@spanrel/encoders');
  if (values['onnx-threads'] !== undefined) {
    encoders.setOnnxInference(true, { threads: positiveInt(values['onnx-threads'], '--onnx-threads', 1) });
  }
  const backend = core.describeBackend();
  log(`backend: ${backend}; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const started = new Date();
  const results = [];
  for (const variant of opts.variants) {
    try {
      results.push(await benchVariant(variant, opts, { tf, joint, parallel, datasets, core, encoders }));
    } catch (e) {
      log(e instanceof Error ? (e.stack ?? e.message) : String(e));
      results.push({ variant, error: e instanceof Error ? e.message : String(e) });
    }
  }
  console.log(`\nSpeed in sentences/s on CoNLL04 (fast = fused AdamW and fused kernels, evaluation also on every core; op-by-op = both off, one thread), same process, interleaved; ${os.cpus().length} cores, ${backend}:`);
  console.log(table(results));
  for (const r of results) {
    if (r.error || !r.reference) continue;
    const dpNote = r.dataParallel ? ` (${r.trainSpeedupDataParallel.toFixed(2)}x with gradient workers, ${r.dataParallel.threads} threads)` : '';
    console.log(`${r.variant}: train ${r.trainSpeedup.toFixed(2)}x${dpNote} (at most ${r.trainSpeedupCeiling.toFixed(2)}x with its matMuls as they are), eval ${r.evalSpeedup.toFixed(2)}x the op-by-op path; fast path at ${((100 * r.fused.trainSentPerSec) / r.reference.trainSentPerSec).toFixed(0)}% (train) / ${((100 * r.fused.evalSentPerSec) / r.reference.evalSentPerSec).toFixed(0)}% (eval) of the reference (${r.reference.source}: ${r.reference.trainSentPerSec} / ${r.reference.evalSentPerSec} sent/s, ${r.reference.peakRssMB} MB)`);
  }
  const summary = {
    benchmark: 'speed',
    backend,
    data: opts.data,
    settings: { train: opts.train, eval: opts.eval, rounds: opts.rounds, bert: opts.bert, onnxThreads: values['onnx-threads'] ?? 'every core', trainWorkers: opts.trainWorkers ?? 'default' },
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', loadAverage: os.loadavg(), node: process.version },
    results,
  };
  console.log(JSON.stringify(summary));
  return results.some((r) => r.error) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
