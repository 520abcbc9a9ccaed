/**
 * `spanrel compare`: trains several presets (or named model variants of them,
 * such as the papers' ablations `ji2020/-local`, `stsn/layers=2`) on the same
 * data and encoder, scores each on the test set, and prints one table (NER /
 * RE / RE+ micro and macro F1, training and evaluation speed), also written as
 * JSON and Markdown.
 *
 * ```
 * <out>/<folder>/      each variant's training run (see spanrel train); <folder> is
 *                      the variant's name without "/" (ji2020/-local -> ji2020__-local)
 * <out>/compare.json   CompareReport
 * <out>/compare.md     the table in Markdown
 * <out>/compare.html   the same with charts (F1 per preset, speeds), one self-contained page
 * ```
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDocuments, readTypeSchema, type Document, type TypeSchema } from '@spanrel/datasets';
import { evaluate, type Scores } from '@spanrel/eval';
import {
  BEST_MODEL_DIR,
  mergeSpec,
  PRESET_NAMES,
  resolveVariant,
  train,
  VARIANT_NAMES,
  variantFolderName,
  variantSpec,
  type JointSpec,
  type TrainEvent,
} from '@spanrel/joint';
import { buildCompareHtml } from '@spanrel/report';
import { describeBackend } from '@spanrel/tensor-core';
import { readConfigFile } from '../config-file.js';
import { optionalInt, requireString, UsageError, type CliIO, type Command } from '../command.js';
import { BACKEND_USAGE, startBackend } from '../model-runtime.js';
import { devPredictionOnWorkers, predictOnWorkers, workersFlag, WORKERS_OPTION, WORKERS_USAGE } from '../prediction-workers.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';

/** File names written in `--out`. */
export const COMPARE_JSON_FILE = 'compare.json';
export const COMPARE_MARKDOWN_FILE = 'compare.md';
export const COMPARE_HTML_FILE = 'compare.html';

/** Micro and macro P/R/F1 (percent) of one task. */
export interface TaskSummary {
  micro: Scores;
  macro: Scores;
}

/** One variant's line of the comparison. */
export interface CompareRow {
  /** The name given in `--presets`: a preset, or a model variant such as `ji2020/-local`. */
  variant: string;
  /** The variant's preset (`spec.preset`). */
  preset: string;
  /** Registry names of the components, `encoder + span head + entity classifier + relation head`. */
  model: string;
  ner: TaskSummary;
  re: TaskSummary;
  rePlus: TaskSummary;
  /** Training sentences per second: epochs run x training sentences / training seconds (evaluation excluded). */
  trainSentencesPerSecond: number;
  /** Test sentences per second of `predict`. */
  evalSentencesPerSecond: number;
  epochs: number;
  bestEpoch: number | null;
  trainSeconds: number;
  evalSeconds: number;
  /** The best model on dev, which the test scores are of. */
  modelDir: string;
}

/** What `compare.json` holds. */
export interface CompareReport {
  encoder: string;
  backend: string;
  data: { train: string; dev: string; test: string; types: string; trainSentences: number; devSentences: number; testSentences: number };
  rows: CompareRow[];
}

/** The presets or model variants of `--presets` (comma-separated, default every preset), checked. */
export function parsePresets(value: unknown): string[] {
  const names = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [...PRESET_NAMES];
  if (names.length === 0) throw new UsageError('--presets names no preset');
  for (const name of names) {
    try {
      resolveVariant(name);
    } catch (e) {
      throw new UsageError(`--presets: ${(e as Error).message}`);
    }
  }
  if (new Set(names).size !== names.length) throw new UsageError(`--presets names a preset twice: ${names.join(',')}`);
  return names;
}

/**
 * Splits a compare config into the overrides of each preset or variant: keys
 * named after a preset (`"ji2020": {...}`) apply to that preset and its
 * variants only, then keys named after a variant (`"ji2020/-local": {...}`) to
 * that variant only, both after every other key, which applies to all of them.
 *
 * @param variantName the variant trained, when it is not the preset itself
 */
export function presetOverrides(config: Record<string, unknown>, presetName: string, source: string, variantName: string = presetName): Record<string, unknown> {
  if ('preset' in config) throw new Error(`${source}: a compare config may not set "preset" (the presets come from --presets)`);
  let out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) if (!VARIANT_NAMES.includes(key)) out[key] = value;
  for (const key of new Set([presetName, variantName])) {
    const own = config[key];
    if (own === undefined) continue;
    if (typeof own !== 'object' || own === null || Array.isArray(own)) throw new Error(`${source}: "${key}" must be an object of overrides for that ${key === presetName ? 'preset' : 'variant'}`);
    out = mergeSpec(out, own) as Record<string, unknown>;
  }
  return out;
}

/**
 * The spec of one preset or variant: the preset, `--encoder`, the variant's
 * flags, the config (shared, then the preset's part, then the variant's), then
 * `--epochs` / `--seed`.
 */
function specOf(name: string, values: Record<string, unknown>, config: Record<string, unknown>, source: string): JointSpec {
  const presetName = resolveVariant(name).preset;
  const shortcuts: Record<string, unknown> = {};
  if (values.epochs !== undefined) shortcuts.training = { epochs: optionalInt(values, 'epochs', 1) };
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer >= 0, got "${String(values.seed)}"`);
    shortcuts.seed = seed;
  }
  return variantSpec(name, {
    encoder: typeof values.encoder === 'string' ? values.encoder : undefined,
    overrides: mergeSpec(presetOverrides(config, presetName, source, name), shortcuts) as Record<string, unknown>,
    source: `${source} (${name === presetName ? 'preset' : 'variant'} ${name})`,
  });
}

const summary = (scores: { micro: Scores; macro: Scores }): TaskSummary => ({
  micro: { precision: scores.micro.precision, recall: scores.micro.recall, f1: scores.micro.f1 },
  macro: { precision: scores.macro.precision, recall: scores.macro.recall, f1: scores.macro.f1 },
});

/** Trains one preset or variant in `outDir` and scores its best model on the test documents. */
async function runPreset(
  variant: string,
  spec: JointSpec,
  data: { schema: TypeSchema; train: readonly Document[]; dev: readonly Document[]; test: readonly Document[] },
  outDir: string,
  resume: boolean,
  workers: number | undefined,
  io: CliIO,
): Promise<CompareRow> {
  const onEvent = (event: TrainEvent) => {
    if (event.type === 'start') io.err(`  ${event.resumed ? `resuming at step ${event.globalStep} of` : 'training:'} ${event.totalSteps} steps (${event.epochs} epochs)`);
    if (event.type === 'epoch-end') {
      const r = event.record;
      const dev = r.dev ? `dev RE+ ${r.dev.rePlus.f1.toFixed(2)}` : 'no dev';
      io.err(`  epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, ${dev}, ${r.trainSeconds.toFixed(1)} s${r.best ? ' [best]' : ''}`);
    }
  };
  const devWorkers = devPredictionOnWorkers(outDir, workers, data.dev.length);
  let result: Awaited<ReturnType<typeof train>>;
  try {
    result = await train({ spec, schema: data.schema, train: data.train, dev: data.dev, vectorDocs: data.test, outDir, resume, onEvent, predictDev: devWorkers.predictDev });
  } finally {
    await devWorkers.close();
  }
  const { model } = result;
  try {
    const started = performance.now();
    const predictions = await predictOnWorkers(model, join(outDir, BEST_MODEL_DIR), data.test, io, { workers, label: `${variant}: predicting` });
    const evalSeconds = (performance.now() - started) / 1000;
    const scores = evaluate(data.test, predictions, data.schema);
    const trainSeconds = result.history.reduce((sum, r) => sum + r.trainSeconds, 0);
    const epochs = result.history.length;
    return {
      variant,
      preset: spec.preset,
      model: [spec.encoder.name, spec.spanHead.name, spec.entityClassifier.name, spec.relationHead.name].join(' + '),
      ner: summary(scores.ner),
      re: summary(scores.re),
      rePlus: summary(scores.rePlus),
      trainSentencesPerSecond: trainSeconds > 0 ? (epochs * data.train.length) / trainSeconds : 0,
      evalSentencesPerSecond: evalSeconds > 0 ? data.test.length / evalSeconds : 0,
      epochs,
      bestEpoch: result.bestEpoch,
      trainSeconds,
      evalSeconds,
      modelDir: join(outDir, BEST_MODEL_DIR),
    };
  } finally {
    model.dispose();
  }
}

const HEADERS = ['variant', 'NER micro', 'NER macro', 'RE micro', 'RE macro', 'RE+ micro', 'RE+ macro', 'train sent/s', 'eval sent/s'];

/** The cells of one row: F1 scores (percent, 2 decimals) and speeds (1 decimal). */
function cells(row: CompareRow): string[] {
  const f1 = (s: Scores) => s.f1.toFixed(2);
  return [
    row.variant,
    f1(row.ner.micro),
    f1(row.ner.macro),
    f1(row.re.micro),
    f1(row.re.macro),
    f1(row.rePlus.micro),
    f1(row.rePlus.macro),
    row.trainSentencesPerSecond.toFixed(1),
    row.evalSentencesPerSecond.toFixed(1),
  ];
}

/** The comparison as a plain-text table (F1 in percent), aligned for a terminal. */
export function formatCompareTable(rows: readonly CompareRow[]): string {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(cells(r)))].join('\n');
}

/** The comparison as a Markdown document: what was compared, then the table (F1 in percent). */
export function formatCompareMarkdown(report: CompareReport): string {
  const d = report.data;
  return [
    '# spanrel compare',
    '',
    `Encoder: \`${report.encoder}\`; backend: ${report.backend}.`,
    `Data: ${d.trainSentences} training sentences (\`${d.train}\`), ${d.devSentences} dev (\`${d.dev}\`, model selection), ${d.testSentences} test (\`${d.test}\`, scored below).`,
    '',
    'F1 in percent on the test set; micro and macro averages over the types. Speeds in sentences per second (training: epochs x sentences / training time).',
    '',
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map((_, c) => (c === 0 ? '---' : '---:')).join(' | ')} |`,
    ...report.rows.map((row) => `| ${cells(row).join(' | ')} |`),
    '',
  ].join('\n');
}

/** `names` joined by ", " in lines of at most 96 characters, each starting with `indent`. */
function wrapNames(names: readonly string[], indent: string): string {
  const lines: string[] = [];
  for (const name of names) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + name.length + 2 <= 96) lines[last] += `, ${name}`;
    else lines.push(`${indent}${name}`);
  }
  return lines.join(',\n');
}

export const compareCommand: Command = {
  name: 'compare',
  summary: 'train several presets (or ablation variants) on the same data and encoder and compare their test scores and speed in one table',
  usage: `spanrel compare --presets spert,dixit,ji2020,twophase,stsn --train T.json --dev D.json --test E.json --types TY.json [--out DIR] [--encoder ...] [--config FILE]
  --presets   comma-separated presets (default: all, ${PRESET_NAMES.join(',')}) or model variants,
              the papers' ablations and attention variants:
${wrapNames(VARIANT_NAMES.filter((n) => !(PRESET_NAMES as readonly string[]).includes(n)), '                ')}
  --train     training documents (SpERT JSON, DyGIE++ JSONL or CoNLL, by extension)
  --dev       dev documents: each preset keeps its best model on them
  --test      test documents, scored by every preset's best model
  --types     the types file
  --out       output folder (default runs/compare): <preset>/ (each training run; a variant's folder
              has "__" for "/", e.g. ji2020__-local/), ${COMPARE_JSON_FILE}, ${COMPARE_MARKDOWN_FILE}, ${COMPARE_HTML_FILE}
  --encoder   bilstm (default) or bert:<model folder or Hugging Face id>, the same for every preset
  --config    a JSON file of overrides for every preset; a key named after a preset holds overrides
              for that preset only, e.g. {"training": {"epochs": 5}, "ji2020": {"training": {"batchSize": 4}}},
              and one named after a variant ("ji2020/-local": {...}) for that variant only
  --epochs N  shortcut for {"training": {"epochs": N}} (every preset)
  --seed N    shortcut for {"seed": N}
  --max-train N, --max-dev N, --max-test N
              use only the first N documents of that split (a quick comparison; the report says so)
  --resume    continue interrupted runs in --out (finished ones are reused without training)
${STRICT_USAGE}
${WORKERS_USAGE}
${BACKEND_USAGE}`,
  options: {
    presets: { type: 'string' },
    train: { type: 'string' },
    dev: { type: 'string' },
    test: { type: 'string' },
    types: { type: 'string' },
    out: { type: 'string' },
    encoder: { type: 'string' },
    config: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    'max-train': { type: 'string' },
    'max-dev': { type: 'string' },
    'max-test': { type: 'string' },
    resume: { type: 'boolean' },
    backend: { type: 'string' },
    ...WORKERS_OPTION,
    ...STRICT_OPTION,
  },
  async run(values, io) {
    const presets = parsePresets(values.presets);
    const paths = {
      train: requireString(values, 'train'),
      dev: requireString(values, 'dev'),
      test: requireString(values, 'test'),
      types: requireString(values, 'types'),
    };
    const out = typeof values.out === 'string' && values.out !== '' ? values.out : join('runs', 'compare');
    const configPath = typeof values.config === 'string' ? values.config : undefined;
    const config = readConfigFile(configPath);
    // Every spec is resolved (and checked) before any training starts.
    const specs = presets.map((name) => ({ name, spec: specOf(name, values, config, configPath ?? '--presets') }));
    const schema = readTypeSchema(paths.types);
    // --max-*: the first N documents of a split (Infinity = all of them).
    const first = (docs: Document[], flag: string) => docs.slice(0, optionalInt(values, flag, Number.POSITIVE_INFINITY));
    const data = {
      schema,
      train: first(readDocuments(paths.train, { schema, ...dataReadOptions(values, io) }), 'max-train'),
      dev: first(readDocuments(paths.dev, { schema, ...dataReadOptions(values, io) }), 'max-dev'),
      test: first(readDocuments(paths.test, { schema, ...dataReadOptions(values, io) }), 'max-test'),
    };
    io.err(`data: ${data.train.length} train, ${data.dev.length} dev, ${data.test.length} test sentences`);
    await startBackend(values, io);
    const workers = workersFlag(values);
    await mkdir(out, { recursive: true });
    const rows: CompareRow[] = [];
    for (const [i, { name, spec }] of specs.entries()) {
      io.err(`[${i + 1}/${specs.length}] ${name}: ${spec.encoder.name} + ${spec.spanHead.name} + ${spec.entityClassifier.name} + ${spec.relationHead.name}`);
      rows.push(await runPreset(name, spec, data, join(out, variantFolderName(name)), values.resume === true, workers, io));
    }
    const report: CompareReport = {
      encoder: typeof values.encoder === 'string' ? values.encoder : 'bilstm',
      backend: describeBackend(),
      data: { ...paths, trainSentences: data.train.length, devSentences: data.dev.length, testSentences: data.test.length },
      rows,
    };
    await writeFile(join(out, COMPARE_JSON_FILE), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(join(out, COMPARE_MARKDOWN_FILE), formatCompareMarkdown(report));
    await writeFile(join(out, COMPARE_HTML_FILE), await buildCompareHtml({ ...report, date: new Date().toISOString() }));
    io.out(formatCompareTable(rows));
    io.out(`\nF1 in percent on ${data.test.length} test sentences; written to ${join(out, COMPARE_JSON_FILE)}, ${join(out, COMPARE_MARKDOWN_FILE)} and ${join(out, COMPARE_HTML_FILE)} (charts)`);
    return 0;
  },
};
