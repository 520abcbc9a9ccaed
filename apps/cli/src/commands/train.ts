import { join } from 'node:path';
import { readDocuments, readTypeSchema } from '@spanrel/datasets';
import {
  BEST_MODEL_DIR,
  formatDecodeCap,
  formatModelProfile,
  hasCheckpoint,
  mergeSpec,
  PRESET_NAMES,
  profileTraining,
  resolveSpec,
  TRAIN_LOG_FILE,
  train,
  type EpochRecord,
  type JointSpec,
  type TrainEvent,
} from '@spanrel/joint';
import { readConfigFile } from '../config-file.js';
import { optionalInt, requireString, UsageError, type CliIO, type Command } from '../command.js';
import { ProgressBar } from '../progress/progress-bar.js';
import { BACKEND_USAGE, progressStream, startBackend } from '../model-runtime.js';
import { devPredictionOnWorkers, workersFlag, WORKERS_OPTION, WORKERS_USAGE } from '../prediction-workers.js';
import { TRAIN_WORKERS_OPTION, TRAIN_WORKERS_USAGE, trainingOnWorkers, trainWorkersFlag } from '../training-workers.js';
import { dataReadOptions, STRICT_OPTION, STRICT_USAGE } from '../data-options.js';

/** The spec of `spanrel train`'s flags: preset, then --encoder, then --config, then --epochs / --seed. */
export function specFromFlags(values: Record<string, unknown>): JointSpec {
  const presetName = typeof values.preset === 'string' ? values.preset : undefined;
  if (presetName !== undefined && !(PRESET_NAMES as readonly string[]).includes(presetName)) {
    throw new UsageError(`--preset must be one of ${PRESET_NAMES.join(', ')}, got "${presetName}"`);
  }
  const configPath = typeof values.config === 'string' ? values.config : undefined;
  const overrides = readConfigFile(configPath);
  const shortcuts: Record<string, unknown> = {};
  if (values.epochs !== undefined) shortcuts.training = { epochs: optionalInt(values, 'epochs', 1) };
  if (values['no-fused'] === true) shortcuts.training = { ...(shortcuts.training as object | undefined), optimizer: { fused: false } };
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be an integer >= 0, got "${String(values.seed)}"`);
    shortcuts.seed = seed;
  }
  if (!presetName && typeof overrides.preset !== 'string') throw new UsageError(`missing required option --preset (${PRESET_NAMES.join(', ')})`);
  return resolveSpec(presetName, {
    encoder: typeof values.encoder === 'string' ? values.encoder : undefined,
    overrides: mergeSpec(overrides, shortcuts) as Record<string, unknown>,
    source: configPath ?? '--preset',
  });
}

function formatScores(record: EpochRecord): string {
  const cap = formatDecodeCap(record.devDecoding);
  const dev = record.dev ? `dev NER ${record.dev.ner.f1.toFixed(2)}  RE ${record.dev.re.f1.toFixed(2)}  RE+ ${record.dev.rePlus.f1.toFixed(2)}` : 'no dev set';
  return (
    `epoch ${record.epoch}: loss ${record.loss.toFixed(4)} (entity ${record.entityLoss.toFixed(4)}, relation ${record.relationLoss.toFixed(4)})  ` +
    `${dev}${record.best ? '  [best, saved]' : ''}  (${record.trainSeconds.toFixed(1)} s training, ${record.evalSeconds.toFixed(1)} s evaluating)` +
    (cap ? `\n  dev decoding: ${cap}` : '')
  );
}

/** Turns training events into progress bars and status lines on stderr. */
function reporter(io: CliIO): (event: TrainEvent) => void {
  const stream = progressStream(io);
  let epochs = 0;
  let bar: ProgressBar | undefined;
  let lossSum = 0;
  let lossSteps = 0;
  return (event) => {
    switch (event.type) {
      case 'start':
        epochs = event.epochs;
        io.err(
          event.resumed
            ? `resuming at step ${event.globalStep} of ${event.totalSteps} (epoch ${event.epoch + 1}, batch ${event.position} of ${event.stepsPerEpoch})`
            : `training: ${event.epochs} epochs of ${event.stepsPerEpoch} steps (${event.totalSteps} steps)`,
        );
        break;
      case 'epoch-start':
        lossSum = 0;
        lossSteps = 0;
        bar = new ProgressBar({ label: `epoch ${event.epoch}/${epochs}`, total: event.stepsInEpoch, startAt: event.position, stream });
        break;
      case 'step':
        lossSum += event.loss;
        lossSteps += 1;
        bar?.update(event.step, lossSum / lossSteps);
        break;
      case 'evaluate':
        bar?.finish();
        io.err(`evaluating on ${event.sentences} dev sentences ...`);
        break;
      case 'epoch-end':
        bar?.finish();
        io.err(formatScores(event.record));
        break;
      case 'early-stop':
        io.err(`early stopping: no dev improvement in ${event.patience} evaluations`);
        break;
      case 'time-budget':
        io.err(`time budget: stopping after epoch ${event.epoch} (${event.minutesUsed.toFixed(1)} of ${event.budgetMinutes} min used; one more epoch would pass it)`);
        break;
      case 'checkpoint':
        break;
    }
  };
}

/** `spanrel train ... --profile`: see `profileTraining` in @spanrel/joint. */
async function profileCommand(values: Record<string, unknown>, io: CliIO): Promise<number> {
  if (values.resume === true) throw new UsageError('--profile cannot be combined with --resume');
  const steps = optionalInt(values, 'profile-steps', 4);
  const top = optionalInt(values, 'profile-top', 20);
  const spec = specFromFlags(values);
  const schema = readTypeSchema(requireString(values, 'types'));
  const trainDocs = readDocuments(requireString(values, 'train'), { schema, ...dataReadOptions(values, io) });
  const devDocs = typeof values.dev === 'string' ? readDocuments(values.dev, { schema, ...dataReadOptions(values, io) }) : [];
  const vectorFiles = typeof values['vectors-for'] === 'string' ? values['vectors-for'].split(',').filter((f) => f !== '') : [];
  io.err(`profiling preset ${spec.preset} (${spec.encoder.name} + ${spec.spanHead.name} + ${spec.relationHead.name}): ${steps} training steps of ${spec.training.batchSize} and ${devDocs.length > 0 ? steps : 0} decode batches of ${spec.decodeBatchSize}, after one of each unprofiled`);
  await startBackend(values, io);
  const vectorDocs = vectorFiles.flatMap((file) => readDocuments(file, { schema, ...dataReadOptions(values, io) }));
  const profile = await profileTraining({ spec, schema, train: trainDocs, dev: devDocs, vectorDocs, steps, evalBatches: steps });
  io.out(formatModelProfile(profile, top));
  return 0;
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'train a joint entity and relation model from a preset, keeping the best model on dev',
  usage: `spanrel train --preset ${PRESET_NAMES.join('|')} [--config FILE] --train T.json --dev D.json --types TY.json --out DIR [--resume]
  --preset    spert (Eberts & Ulges 2019), dixit (Dixit & Al-Onaizan 2019), ji2020, twophase or stsn: each paper's hyper-parameters
  --config    a JSON file overriding fields of the preset, e.g. {"training": {"epochs": 5, "batchSize": 4}}
              (every field: packages/joint/README.md); may name "preset" itself
  --encoder   bilstm (default: BiLSTM + char CNN, trained from scratch) or bert:<model folder or Hugging Face id>
  --train     training documents (SpERT JSON, DyGIE++ JSONL or CoNLL, by extension)
  --dev       dev documents, scored after every epoch; the best model is kept
  --types     the types file
  --out       output folder: model/ (the best model), checkpoint/, ${TRAIN_LOG_FILE} (one JSON line per epoch), run.json
  --resume    continue the interrupted run in --out from its last checkpoint (same flags as the first time)
  --vectors-for FILES  comma-separated documents (test sets, text to predict) whose words keep their fixed
              word vectors too (fixed-vector encoders; only tokens are read); dev words always do
  --epochs N  shortcut for {"training": {"epochs": N}}
  --seed N    shortcut for {"seed": N}
  --no-fused  the op-by-op path (same numbers to float rounding, slower): {"training": {"optimizer": {"fused": false}}}
              (AdamW) and tensor-core's setFusedKernels(false) (span / context max-pooling, row zeroing, batched matMul,
              layer norm's gradient, large matMuls on onnxruntime-node; SPANREL_ONNX_MATMUL=0 turns off only the last)
  --no-native-gemm  keep the large matMuls on the wasm backend's XNNPACK (as SPANREL_ONNX_MATMUL=0): the fast path
              then trains the op-by-op path's weights bit for bit (dixit: 2.6x slower); onnxruntime's GEMM
              gives the same products to rounding, which a ReLU model's training (dixit) does not keep step for step
  --profile   instead of training: run --profile-steps training steps and as many dev decode batches under
              tf.profile and print kernel time by kernel (top --profile-top), kernel calls per sentence and
              the time outside kernels; writes nothing (--out not needed)
  --profile-steps N  profiled training steps and decode batches (default 4; one more of each first, unprofiled)
  --profile-top N    kernels listed (default 20)
${STRICT_USAGE}
${WORKERS_USAGE.replace('predict beside', 'predict the dev set beside')}
${TRAIN_WORKERS_USAGE}
${BACKEND_USAGE}`,
  options: {
    preset: { type: 'string' },
    config: { type: 'string' },
    encoder: { type: 'string' },
    train: { type: 'string' },
    dev: { type: 'string' },
    types: { type: 'string' },
    out: { type: 'string' },
    resume: { type: 'boolean' },
    'vectors-for': { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    'no-fused': { type: 'boolean' },
    'no-native-gemm': { type: 'boolean' },
    profile: { type: 'boolean' },
    'profile-steps': { type: 'string' },
    'profile-top': { type: 'string' },
    backend: { type: 'string' },
    ...WORKERS_OPTION,
    ...TRAIN_WORKERS_OPTION,
    ...STRICT_OPTION,
  },
  async run(values, io) {
    if (values.profile === true) return profileCommand(values, io);
    const out = requireString(values, 'out');
    const vectorFiles = typeof values['vectors-for'] === 'string' ? values['vectors-for'].split(',').filter((f) => f !== '') : [];
    const trainPath = requireString(values, 'train');
    const devPath = requireString(values, 'dev');
    const schema = readTypeSchema(requireString(values, 'types'));
    const resume = values.resume === true;
    // Resuming a run may leave the spec to the checkpoint; when flags are given they must match it.
    const flagsGiven = ['preset', 'config', 'encoder', 'epochs', 'seed', 'no-fused'].some((f) => values[f] !== undefined);
    const spec = resume && !flagsGiven && (await hasCheckpoint(out)) ? undefined : specFromFlags(values);
    const trainDocs = readDocuments(trainPath, { schema, ...dataReadOptions(values, io) });
    const devDocs = readDocuments(devPath, { schema, ...dataReadOptions(values, io) });
    io.err(`data: ${trainDocs.length} training sentences (${trainPath}), ${devDocs.length} dev sentences (${devPath})`);
    if (spec) io.err(`preset ${spec.preset}: ${spec.encoder.name} + ${spec.spanHead.name} + ${spec.entityClassifier.name} + ${spec.relationHead.name}`);
    await startBackend(values, io);
    const vectorDocs = vectorFiles.flatMap((file) => readDocuments(file, { schema, ...dataReadOptions(values, io) }));
    const trainWorkers = trainWorkersFlag(values);
    if (trainWorkers > 0) io.err(`training: batches of 2 or more sentences on ${trainWorkers + 1} threads (--train-workers ${trainWorkers})`);
    const devWorkers = devPredictionOnWorkers(out, workersFlag(values), devDocs.length);
    const gradientWorkers = trainingOnWorkers(out, trainWorkers);
    let result: Awaited<ReturnType<typeof train>>;
    try {
      result = await train({
        spec,
        schema,
        train: trainDocs,
        dev: devDocs,
        vectorDocs,
        outDir: out,
        resume,
        onEvent: reporter(io),
        predictDev: devWorkers.predictDev,
        batchStep: gradientWorkers.batchStep,
      });
    } finally {
      await Promise.all([devWorkers.close(), gradientWorkers.close()]);
    }
    result.model.dispose();
    const best = result.bestEpoch === null ? 'no epoch ran' : `epoch ${result.bestEpoch}`;
    io.out(`best model (${best}) in ${join(out, BEST_MODEL_DIR)}; log in ${join(out, TRAIN_LOG_FILE)}; ${result.globalStep} steps${result.stoppedEarly ? ' (stopped early)' : ''}`);
    return 0;
  },
};
